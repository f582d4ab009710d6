using GradientNode.Core.Integrations;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Integrations;

/// <summary>
/// <see cref="S3Fetcher"/> against a real local endpoint that answers every request with a redirect: the node does not
/// follow it with the spec's credentials, and says so (before: AWSSDK's "Invalid S3 URI …", which named nothing useful).
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class S3FetcherRedirectTests
{
    private string _target = string.Empty;

    [SetUp]
    public void SetUp()
    {
        _target = Path.Combine(Directory.CreateTempSubdirectory("gn-s3r-").FullName, "content");
        Directory.CreateDirectory(_target);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(Path.GetDirectoryName(_target)!, recursive: true);

    [TestCase(301)]
    [TestCase(302)]
    [TestCase(307)]
    [TestCase(308)]
    public async Task FetchAsync_EndpointRedirects_FailsNamingStatusAndLocationHostWithoutFollowingIt(int status)
    {
        await using var elsewhere = await StartAsync(new HostileS3Server { ListedSize = 3, SentSize = 3 });
        var host = new Uri(elsewhere.Endpoint).Authority;
        await using var redirecting = await StartAsync(new HostileS3Server
        {
            RedirectStatus = status,
            RedirectLocation = $"http://user:hunter2@{host}/bucket/?list-type=2&token=TOPSECRET",
        });

        var failure = Assert.CatchAsync(() => FetchAsync(redirecting));

        Assert.That(failure, Is.TypeOf<IntegrationFetchException>(), failure!.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(failure.Message, Does.StartWith("s3://bucket/data/: "));
            Assert.That(failure.Message, Does.Contain($"the endpoint {redirecting.Endpoint} answered {status} (a redirect to {host})"));
            Assert.That(failure.Message, Does.Contain("the node does not follow redirects with credentials"));
            Assert.That(failure.Message, Does.Not.Contain("Invalid S3 URI").And.Not.Contain("hunter2").And.Not.Contain("TOPSECRET")
                .And.Not.Contain("user").And.Not.Contain("secret").And.Not.Contain("list-type"));
            Assert.That(((IntegrationFetchException)failure).Permanent, Is.True, "the endpoint answers the same on a retry");
            Assert.That(elsewhere.Requests, Is.Zero, "the redirect is not followed");
            Assert.That(redirecting.Requests, Is.EqualTo(1), "a redirect is not retried");
            Assert.That(Directory.EnumerateFileSystemEntries(_target), Is.Empty);
        });
    }

    [Test]
    public async Task FetchAsync_RedirectWithoutLocation_FailsNamingTheStatus()
    {
        await using var redirecting = await StartAsync(new HostileS3Server { RedirectStatus = 301 });

        var failure = Assert.CatchAsync(() => FetchAsync(redirecting));

        Assert.That(failure, Is.TypeOf<IntegrationFetchException>(), failure!.ToString());
        Assert.That(failure.Message, Does.Contain($"the endpoint {redirecting.Endpoint} answered 301 (a redirect with no Location)")
            .And.Contain("the node does not follow redirects with credentials"));
    }

    private static async Task<HostileS3Server> StartAsync(HostileS3Server server)
    {
        await server.StartAsync();
        return server;
    }

    private async Task FetchAsync(HostileS3Server server)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Request);
        await new S3Fetcher().FetchAsync(
            new S3Source(HostileS3Server.Bucket, HostileS3Server.Prefix, null, server.Endpoint, "key", "secret"),
            _target,
            new FetchProgress(TimeProvider.System),
            timeout.Token);
    }
}
