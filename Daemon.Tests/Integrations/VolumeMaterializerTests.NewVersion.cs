using NUnit.Framework;

namespace GradientNode.Tests.Integrations;

/// <summary>A new spec version (a restart, an edit) retries a failed fetch at once instead of after its backoff.</summary>
internal sealed partial class VolumeMaterializerTests
{
    [Test]
    public async Task Prepare_NewVersionAfterAFailedFetch_RetriesAtOnce()
    {
        _fetcher.Fail = true;
        var spec = IntegrationTestSpecs.V1(IntegrationTestSpecs.S3());
        var failed = await UntilSettledAsync(() => _materializer.Prepare(spec, Secrets, "v1"));
        Assert.That(failed.Error, Does.Contain("retrying in 10s"));
        Assert.That(_materializer.Prepare(spec, Secrets, "v1").Error, Is.Not.Null, "the same version waits out the backoff");
        _fetcher.Fail = false;

        var restarted = await UntilSettledAsync(() => _materializer.Prepare(spec, Secrets, "v2")); // gradient-node restart: a new hash

        Assert.That(restarted.Error, Is.Null);
        Assert.That(restarted.Binds, Has.Count.EqualTo(1));
        Assert.That(_fetcher.Calls, Is.EqualTo(2), "retried without the clock moving");
    }
}
