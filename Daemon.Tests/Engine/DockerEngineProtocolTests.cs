using System.Text;
using GradientNode.Core.Engine;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Engine;

/// <summary><see cref="DockerEngine"/> against <see cref="FakeDockerEngine"/>: wire behaviour a real dockerd shows only by chance.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class DockerEngineProtocolTests
{
    private const string Password = "s3cret-Pa55";

    [Test]
    public async Task PullImageAsync_ProgressLines_AreReportedWithAuthHeader()
    {
        using var fake = new FakeDockerEngine(context => FakeDockerEngine.WriteAsync(context, 200,
            "{\"status\":\"Pulling from ns/repo\",\"id\":\"1\"}\r\n{\"status\":\"Downloading\",\"id\":\"abc\",\"progressDetail\":{\"current\":5,\"total\":10}}\r\n"));
        using var engine = new DockerEngine(new DockerEngineOptions(fake.Host));
        var reports = new List<PullProgress>();

        await engine.PullImageAsync("registry:5000/ns/repo:2", new RegistryAuth("u", Password, "registry:5000"), new SyncProgress(reports), CancellationToken.None);

        var auth = fake.LastHeaders!["X-Registry-Auth"]!;
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(auth.Replace('-', '+').Replace('_', '/')));
        Assert.Multiple(() =>
        {
            Assert.That(fake.Requests, Does.Contain("POST /v1.41/images/create?fromImage=registry%3A5000%2Fns%2Frepo&tag=2"));
            Assert.That(json, Does.Contain(Password).And.Contain("\"serveraddress\":\"registry:5000\""));
            Assert.That(reports, Does.Contain(new PullProgress("Downloading", "abc", 5, 10)));
        });
    }

    [TestCase("unauthorized: authentication required", typeof(ImagePullDeniedException))]
    [TestCase("manifest unknown: manifest unknown", typeof(ImageNotFoundException))]
    [TestCase("write /var/lib/docker/tmp: no space left on device", typeof(EngineException))]
    public void PullImageAsync_ErrorLineInStream_ThrowsTypedWithoutPassword(string error, Type expected)
    {
        using var fake = new FakeDockerEngine(context => FakeDockerEngine.WriteAsync(context, 200,
            "{\"status\":\"Pulling\"}\n{\"errorDetail\":{\"message\":\"" + error + "\"},\"error\":\"" + error + "\"}\n"));
        using var engine = new DockerEngine(new DockerEngineOptions(fake.Host));

        var ex = Assert.CatchAsync<EngineException>(() =>
            engine.PullImageAsync("registry:5000/ns/repo:2", new RegistryAuth("u", Password, "registry:5000"), null, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.TypeOf(expected));
            Assert.That(ex!.Message, Does.Contain(error).And.Not.Contain(Password));
        });
    }

    [Test]
    public void PullImageAsync_HttpErrorBeforeStream_UsesEngineMessage()
    {
        using var fake = new FakeDockerEngine(context => FakeDockerEngine.WriteAsync(context, 404,
            "{\"message\":\"pull access denied for nope, repository does not exist\"}"));
        using var engine = new DockerEngine(new DockerEngineOptions(fake.Host));

        var ex = Assert.ThrowsAsync<ImagePullDeniedException>(() => engine.PullImageAsync("nope", null, null, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("pull access denied"));
    }

    [Test]
    public async Task SendAsync_NewerServer_UsesOurMaxApiVersion()
    {
        using var fake = new FakeDockerEngine(context => FakeDockerEngine.WriteAsync(context, 200, "[]"), apiVersion: "1.47");
        using var engine = new DockerEngine(new DockerEngineOptions(fake.Host));

        await engine.ListContainersAsync(["a=b"], CancellationToken.None);
        await engine.ListContainersAsync([], CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(engine.ApiVersion, Is.EqualTo("1.43"));
            Assert.That(fake.Requests.Count(r => r == "GET /version"), Is.EqualTo(1));
            Assert.That(fake.Requests, Has.Some.StartsWith("GET /v1.43/containers/json?all=true&filters="));
        });
    }

    [Test]
    public void CreateContainerAsync_ServerError_CarriesEngineMessageAndStatus()
    {
        using var fake = new FakeDockerEngine(context => FakeDockerEngine.WriteAsync(context, 500, "{\"message\":\"boom from engine\"}"));
        using var engine = new DockerEngine(new DockerEngineOptions(fake.Host));

        var ex = Assert.CatchAsync<EngineException>(() =>
            engine.CreateContainerAsync(new ContainerCreateRequest { Name = "x", Image = "y" }, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("boom from engine"));
            Assert.That(ex.StatusCode, Is.EqualTo(500));
        });
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool and would race the assertions).</summary>
    private sealed class SyncProgress(List<PullProgress> reports) : IProgress<PullProgress>
    {
        public void Report(PullProgress value) => reports.Add(value);
    }
}
