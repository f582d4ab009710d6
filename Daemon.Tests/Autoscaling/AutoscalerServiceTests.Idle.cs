using NUnit.Framework;

namespace GradientNode.Tests.Autoscaling;

/// <summary>Proxy figures of an idle node (issue 20): written once at rest, then not until a request comes.</summary>
internal sealed partial class AutoscalerServiceTests
{
    [Test]
    public async Task EvaluateOnce_ProxyFiguresAtRestFromLongAgo_ReadAsIdleNotStale()
    {
        // An idle proxy writes its figures once and then nothing (issue 20): an hour-old file at rest is the truth now.
        _specs.Add(AutoscaleStoreTests.Spec(replicas: 1, max: 3));
        SetReady("web", 1);
        _traffic = Traffic("web", Replica("web", 0, requests: 0, average: 0)) with { Written = _time.GetUtcNow().AddHours(-1) };

        await Service().EvaluateOnceAsync(CancellationToken.None);

        var status = _store.StatusOf(_specs[0])!;
        Assert.That(status.Metrics.Single().Value, Is.EqualTo(0), "idle, not no data");
        Assert.That(status.Note ?? string.Empty, Does.Not.Contain("no metric has data"));
    }
}
