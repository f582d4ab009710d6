using GradientNode.Core.Autoscaling;
using NUnit.Framework;

namespace GradientNode.Tests.Autoscaling;

/// <summary>A step of the wall clock moves the autoscaler's windows with it: a window lasts as long as it says.</summary>
internal sealed partial class AutoscalerServiceTests
{
    [TestCase(-1)]
    [TestCase(1)]
    public async Task EvaluateOnce_WallClockStepsDuringTheStabilizationWindow_ScalesDownAfterTheWindowNotBeforeNorAnHourLater(int hours)
    {
        // Before: a step back of an hour kept the high recommendations "in the future", inside the window, so the
        // deployment stayed at 3 replicas for an hour; a step forward emptied the window and it scaled down at once.
        _specs.Add(AutoscaleStoreTests.Spec(replicas: 1, max: 3));
        SetReady("web", 1);
        _traffic = Traffic("web", Replica("web", 0, requests: 20, average: 0.6));
        var service = Service(new AutoscalerOptions { ScaleDownStabilization = TimeSpan.FromSeconds(20) });
        await service.EvaluateOnceAsync(CancellationToken.None);
        Assert.That(_store.DesiredFor(_specs[0]), Is.EqualTo(3));

        SetReady("web", 3);
        var desired = new List<int>();
        for (var i = 0; i < 15; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(2));
            if (i == 3)
            {
                _time.Step(TimeSpan.FromHours(hours));
            }

            _traffic = Traffic("web");
            await service.EvaluateOnceAsync(CancellationToken.None);
            desired.Add(_store.DesiredFor(_specs[0]));
        }

        Assert.Multiple(() =>
        {
            Assert.That(desired[..9], Is.All.EqualTo(3), "within 20 s of the last high recommendation");
            Assert.That(desired[^1], Is.EqualTo(1), "scaled down once the 20 s passed");
            Assert.That(_store.StatusOf(_specs[0])!.LastScale!.At, Is.EqualTo(_time.GetUtcNow()).Within(TimeSpan.FromSeconds(12)), "the event on the wall clock as it reads now");
        });
    }
}
