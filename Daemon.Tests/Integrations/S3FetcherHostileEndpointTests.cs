using GradientNode.Core.Integrations;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Integrations;

/// <summary>
/// <see cref="S3Fetcher"/> against an endpoint that lies (a spec author's, on loopback: allowed, see security.md): the
/// root daemon's memory and disk stay bounded by what the node has, not by what the endpoint claims or sends.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class S3FetcherHostileEndpointTests
{
    private string _target = string.Empty;

    [SetUp]
    public void SetUp()
    {
        _target = Path.Combine(Directory.CreateTempSubdirectory("gn-s3h-").FullName, "content");
        Directory.CreateDirectory(_target);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(Path.GetDirectoryName(_target)!, recursive: true);

    [Test]
    public async Task FetchAsync_ListingClaimsMoreThanTheDiskHasFree_FailsBeforeMakingAnyFile()
    {
        // Three "1 PiB" objects: before, each became a 64-million-part list (or a sparse file) in the daemon.
        await using var server = await StartAsync(new HostileS3Server { ListedSize = 1L << 50, ObjectsPerPage = 3 });

        var failure = Assert.ThrowsAsync<IntegrationFetchException>(() => FetchAsync(new S3Fetcher(), server));

        Assert.That(failure!.Message, Does.Contain("take more than the").And.Contain("bytes the node's disk has free"));
        Assert.That(failure.Permanent, Is.False, "freeing disk space heals it on a retry");
        Assert.That(Directory.EnumerateFileSystemEntries(_target), Is.Empty);
    }

    [Test]
    public async Task FetchAsync_ListingThatNeverEnds_FailsPastTheObjectCapNamingIt()
    {
        await using var server = await StartAsync(new HostileS3Server { ListedSize = 0, ObjectsPerPage = 1000, Pages = 0 });

        var failure = Assert.ThrowsAsync<IntegrationFetchException>(() => FetchAsync(new S3Fetcher(maxObjects: 5000), server));

        Assert.That(failure!.Message, Does.Contain("more than 5000 objects under s3://bucket/data/"));
        Assert.That(failure.Permanent, Is.True);
        Assert.That(server.PagesServed, Is.EqualTo(6), "listing stops at the page that passes the cap");
        Assert.That(Directory.EnumerateFileSystemEntries(_target), Is.Empty);
    }

    [Test]
    public async Task FetchAsync_ObjectSendsMoreThanListed_FailsWithoutWritingPastItsSize()
    {
        await using var server = await StartAsync(new HostileS3Server { ListedSize = 10, SentSize = 4L << 20 });

        var failure = Assert.ThrowsAsync<IntegrationFetchException>(() => FetchAsync(new S3Fetcher(), server));

        Assert.That(failure!.Message, Does.Contain("object 'data/p0-o0.bin' sent more than the 10 bytes asked for at offset 0"));
        Assert.That(new FileInfo(Path.Combine(_target, "p0-o0.bin")).Length, Is.LessThanOrEqualTo(10));
    }

    [TestCase(200)]
    [TestCase(403)]
    [TestCase(404)]
    [TestCase(500)]
    public async Task FetchAsync_EndpointIsAWebAppNotS3_ItsAnswerIsInNoMessage(int status)
    {
        // The daemon fetches as root, which passes the replica network's host rule: an endpoint at another deployment's
        // replica address (protected by its password at the proxy only) must not hand that replica's pages to the
        // author through the deployment's status.
        const string page = "<html><body>payroll-2026 TOPSECRET-7f3a</body></html>";
        await using var server = await StartAsync(new HostileS3Server { PageStatus = status, PageBody = page });

        var failure = Assert.CatchAsync(() => FetchAsync(new S3Fetcher(), server));

        Assert.That(failure, Is.TypeOf<IntegrationFetchException>(), failure!.ToString());
        Assert.That(failure.Message, Does.Not.Contain("TOPSECRET").And.Not.Contain("payroll"));
    }

    private static async Task<HostileS3Server> StartAsync(HostileS3Server server)
    {
        await server.StartAsync();
        return server;
    }

    private async Task FetchAsync(S3Fetcher fetcher, HostileS3Server server)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Request);
        await fetcher.FetchAsync(
            new S3Source(HostileS3Server.Bucket, HostileS3Server.Prefix, null, server.Endpoint, "key", "secret"),
            _target,
            new FetchProgress(TimeProvider.System),
            timeout.Token);
    }
}
