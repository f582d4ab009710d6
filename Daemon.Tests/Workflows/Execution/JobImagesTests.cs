using GradientNode.Core.Engine;
using GradientNode.Core.Registries;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

[TestFixture]
[Category("Unit")]
internal sealed class JobImagesTests
{
    [Test]
    public void EnsureAsync_PullFails_ErrorNamesTheImageOnceWithTheEnginesWords()
    {
        const string Image = "gradient-test/nope:9";
        const string Answer = "Get \"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io: no such host";
        var engine = new ScriptedPullEngine();
        engine.Script.Add((() => throw DockerErrors.ToPullException(Image, Answer, 500), new PullProgress("Downloading", "a", 1, 2)));
        var job = new JobPlan { Id = "train", Action = "container@v1", Image = Image };

        var ex = Assert.ThrowsAsync<JobFailedException>(() => new JobImages(engine, null).EnsureAsync(job, Image, CancellationToken.None));

        Assert.That(ex!.Message, Is.EqualTo($"jobs.train: image '{Image}' is not on the node and could not be pulled (without credentials): {Answer}"
            + $" (the registry docker.io did not answer this node: check that the node reaches it (network, DNS, proxy), or put the image on the node yourself (docker load -i FILE, or docker build -t {Image} .), and it runs without a pull)"));
    }

    [Test]
    public async Task EnsureAsync_ImagePulled_ReturnsThePulledImageWithItsEnvAndTheSizeCheckCountsIt()
    {
        // known18: null after a pull, so the start's ARG_MAX check counted a pulled image's ENV as nothing (only the 4096-byte
        // reserve), and a job its ENV took over the limit was made and ended FAILED "argument list too long".
        const string Image = "registry.example:5000/team/big-env:1";
        var big = Enumerable.Range(0, 17).Select(i => $"BIG{i:00}={new string('x', 125_000)}").ToList();
        var engine = new ScriptedPullEngine { ImageEnv = big };
        var job = new JobPlan { Id = "train", Action = "container@v1", Image = Image, Args = ["true"] };

        var pulled = await new JobImages(engine, null).EnsureAsync(job, Image, CancellationToken.None);
        var problem = RunArgumentCheck.Problem(job, new Dictionary<string, string?>(), pulled);

        Assert.Multiple(() =>
        {
            Assert.That(engine.PullAuths, Has.Count.EqualTo(1), "the image was pulled");
            Assert.That(pulled?.Env, Is.EqualTo(big));
            Assert.That(problem, Does.StartWith("jobs.train: its environment and arguments come to 2129364 bytes"));
            Assert.That(problem, Does.Contain("env.BIG00 (the image's ENV) 125015"));
        });
    }

    [Test]
    public void EnsureAsync_RegistryFileDamaged_ErrorSaysItIsDamagedNotUnknown()
    {
        var state = Directory.CreateTempSubdirectory("gn-jobimages-").FullName;
        try
        {
            var registries = new RegistryStore(state);
            File.WriteAllText(Path.Combine(registries.Directory, "my-registry.json"), string.Empty);
            var engine = new ScriptedPullEngine();
            engine.AddImage("gradient-test/web:1");
            var job = new JobPlan { Id = "train", Action = "container@v1", Image = "gradient-test/web:1", Registries = ["my-registry"] };

            var ex = Assert.ThrowsAsync<JobFailedException>(() => new JobImages(engine, registries).EnsureAsync(job, "gradient-test/web:1", CancellationToken.None));

            Assert.That(ex!.Message, Is.EqualTo("jobs.train: container-registries names 'my-registry': its stored file registries/my-registry.json is damaged (it is empty (0 bytes)); add it again (gradient-node registries add my-registry --url URL --username U --password-stdin) or remove it (gradient-node registries rm my-registry)"));
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Test]
    public void EnsureAsync_ImageOnTheNodeButARegistryNotStored_ErrorNamingTheRegistryAsForDeployments()
    {
        var engine = new ScriptedPullEngine();
        engine.AddImage("gradient-test/web:1");
        var job = new JobPlan { Id = "train", Action = "container@v1", Image = "gradient-test/web:1", Registries = ["my-registry"] };

        var ex = Assert.ThrowsAsync<JobFailedException>(() => new JobImages(engine, null).EnsureAsync(job, "gradient-test/web:1", CancellationToken.None));

        Assert.That(ex!.Message, Does.StartWith("jobs.train: container-registries names 'my-registry', which is not a stored registry connection (add it: gradient-node registries add my-registry"));
    }

    [Test]
    public void EnsureAsync_RegistryRefusesTheStoredCredentials_ErrorNamesTheConnectionAndHowToCheckIt()
    {
        const string Image = "registry.example:5000/team/web:1";

        var message = PullFailure(Image, "unauthorized: authentication required", "https://registry.example:5000", "not-the-password");

        // Before: "with the credentials of a container-registries connection for registry.example:5000", and no next step.
        Assert.That(message, Does.Contain("(with the credentials of 'team')").And.EndWith("(check them: gradient-node registries test team)"));
        Assert.That(message, Does.Not.Contain("not-the-password"));
    }

    [Test]
    public void EnsureAsync_NoListedConnectionIsForTheImagesHost_ErrorSaysWhichHostEachIsFor()
    {
        const string Image = "127.0.0.1:5999/team/web:1";
        const string Answer = "Get \"http://127.0.0.1:5999/v2/\": dial tcp 127.0.0.1:5999: connect: connection refused";

        var message = PullFailure(Image, Answer, "127.0.0.1:5000", "the-password");

        // Before: "(without credentials): …connection refused" and nothing on why 'team' was not used.
        Assert.That(message, Is.EqualTo(
            $"jobs.train: image '{Image}' is not on the node and could not be pulled (without credentials): {Answer} (container-registries has no connection "
            + "for registry 127.0.0.1:5999: 'team' is for 127.0.0.1:5000; a connection's credentials are only sent to its own host)"));
    }

    [Test]
    public void EnsureAsync_ConnectionsRegistryDoesNotAnswer_SaysHowToCheckIt()
    {
        const string Image = "127.0.0.1:5000/team/web:1";
        const string Answer = "Get \"http://127.0.0.1:5000/v2/\": dial tcp 127.0.0.1:5000: connect: connection refused";

        var message = PullFailure(Image, Answer, "127.0.0.1:5000", "the-password");

        // Before: the engine's words and nothing else; only a refused pull pointed at registries test.
        Assert.That(message, Is.EqualTo(
            $"jobs.train: image '{Image}' is not on the node and could not be pulled (with the credentials of 'team'): {Answer} (check the registry answers: gradient-node registries test team)"));
    }

    /// <summary>The job error of a pull of <paramref name="image"/> that fails with <paramref name="answer"/>, for job <c>train</c> listing a stored connection <c>team</c> at <paramref name="url"/>.</summary>
    private static string PullFailure(string image, string answer, string url, string password)
    {
        var state = Directory.CreateTempSubdirectory("gn-jobimages-").FullName;
        try
        {
            var registries = new RegistryStore(state);
            registries.Set(new RegistryConnection("team", url, "ci", password, null, DateTimeOffset.UnixEpoch));
            var engine = new ScriptedPullEngine();
            engine.Script.Add((() => throw DockerErrors.ToPullException(image, answer, 500), new PullProgress("Downloading", "a", 1, 2)));
            var job = new JobPlan { Id = "train", Action = "container@v1", Image = image, Registries = ["team"] };

            var ex = Assert.ThrowsAsync<JobFailedException>(() => new JobImages(engine, registries).EnsureAsync(job, image, CancellationToken.None));
            return ex!.Message;
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }
}
