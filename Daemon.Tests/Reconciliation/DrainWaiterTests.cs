using GradientNode.Core.Reconciliation;
using GradientNode.Core.Traffic;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed class DrainWaiterTests
{
    private static readonly ObservedReplica Leaving = new()
    {
        ContainerId = "0123456789abcdef",
        ContainerName = "gradient-web-1",
        Index = 1,
        SpecHash = "h",
        Running = true,
        State = "running",
    };

    [Test]
    public async Task WaitAsync_NoProxyFigures_ReturnsAtOnce()
    {
        var time = new FakeTimeProvider();
        var waiter = new DrainWaiter(() => null, time, TimeSpan.FromSeconds(30));

        var left = await waiter.WaitAsync("web", [Leaving], time.GetUtcNow(), CancellationToken.None);

        Assert.That(left, Is.Zero);
    }

    [Test]
    public async Task WaitAsync_FreshFiguresWithoutInFlight_ReturnsAtOnce()
    {
        var time = new FakeTimeProvider();
        var leftAt = time.GetUtcNow().AddSeconds(-2);
        var waiter = new DrainWaiter(() => Figures(time.GetUtcNow(), inFlight: 0), time, TimeSpan.FromSeconds(30));

        Assert.That(await waiter.WaitAsync("web", [Leaving], leftAt, CancellationToken.None), Is.Zero);
    }

    [Test]
    public async Task WaitAsync_RequestsInFlight_WaitsUntilTheyFinish()
    {
        var time = new FakeTimeProvider();
        var leftAt = time.GetUtcNow();
        long inFlight = 2;
        var waiter = new DrainWaiter(() => Figures(time.GetUtcNow(), inFlight), time, TimeSpan.FromSeconds(30));

        var wait = waiter.WaitAsync("web", [Leaving], leftAt, CancellationToken.None);
        for (var i = 0; i < 20; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Yield();
        }

        Assert.That(wait.IsCompleted, Is.False, "two requests are still in flight after 5 s");
        inFlight = 0;
        await AdvanceUntilDoneAsync(time, wait, "the drain to end");
        Assert.That(await wait, Is.Zero);
    }

    [Test]
    public async Task WaitAsync_FiguresFromBeforeLeavingRotation_AreNotTrusted()
    {
        var time = new FakeTimeProvider();
        var leftAt = time.GetUtcNow();
        var written = leftAt.AddSeconds(-1);
        var waiter = new DrainWaiter(() => Figures(written, inFlight: 0), time, TimeSpan.FromSeconds(30));

        var wait = waiter.WaitAsync("web", [Leaving], leftAt, CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(250));
        await Task.Yield();
        Assert.That(wait.IsCompleted, Is.False);

        written = leftAt.AddSeconds(2);
        await AdvanceUntilDoneAsync(time, wait, "the drain to end on fresh figures");
        Assert.That(await wait, Is.Zero);
    }

    [Test]
    public async Task WaitAsync_IdleProxyFiguresFromLongAgo_EndOneRestWakeAfterRoutePropagation()
    {
        // An idle proxy wrote its figures at rest an hour ago and writes again only when a request comes (issue 20).
        var time = new FakeTimeProvider();
        var leftAt = time.GetUtcNow();
        var waiter = new DrainWaiter(() => Figures(leftAt.AddHours(-1), inFlight: 0, recent: 0), time, TimeSpan.FromSeconds(30));

        var wait = waiter.WaitAsync("web", [Leaving], leftAt, CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(250));
        await Task.Yield();
        Assert.That(wait.IsCompleted, Is.False, "a request sent before the proxy saw the route change may not show yet");

        await AdvanceUntilDoneAsync(time, wait, "the drain to end on figures at rest");
        Assert.That(await wait, Is.Zero);
        Assert.That(time.GetUtcNow() - leftAt, Is.GreaterThanOrEqualTo(DrainWaiter.RoutePropagation + DrainWaiter.RestWake));
    }

    [Test]
    public async Task WaitAsync_BusyFiguresThatStoppedComing_AreStaleNothingToWaitFor()
    {
        // Requests in the window: a live proxy would rewrite every 2 s, so figures 20 s old are a proxy that is gone.
        var time = new FakeTimeProvider();
        var leftAt = time.GetUtcNow();
        var waiter = new DrainWaiter(() => Figures(leftAt.AddSeconds(-20), inFlight: 2, recent: 5), time, TimeSpan.FromSeconds(30));

        Assert.That(await waiter.WaitAsync("web", [Leaving], leftAt, CancellationToken.None), Is.Zero);
    }

    [Test]
    public async Task WaitAsync_StillInFlightAtTimeout_ReturnsTheCount()
    {
        var time = new FakeTimeProvider();
        var leftAt = time.GetUtcNow();
        var waiter = new DrainWaiter(() => Figures(time.GetUtcNow(), inFlight: 3), time, TimeSpan.FromSeconds(5));

        var wait = waiter.WaitAsync("web", [Leaving], leftAt, CancellationToken.None);
        await AdvanceUntilDoneAsync(time, wait, "the drain timeout");

        Assert.That(await wait, Is.EqualTo(3));
        Assert.That(time.GetUtcNow() - leftAt, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public void RouteId_LeavingReplica_IsTheRouteTablesReplicaId()
    {
        Assert.That(ReplicaRouteId.Of("web", Leaving.Index, Leaving.ContainerId), Is.EqualTo("web-1/0123456789ab"));
    }

    /// <summary>Moves the fake clock in poll-sized steps until <paramref name="wait"/> ends.</summary>
    private static Task AdvanceUntilDoneAsync(FakeTimeProvider time, Task wait, string what) => TestTimeouts.WaitUntilAsync(
        async () =>
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
            await TestTimeouts.LetContinuationsRunAsync();
            return wait.IsCompleted;
        },
        TestTimeouts.Short,
        what);

    private static TrafficSnapshot Figures(DateTimeOffset written, long inFlight, long recent = 1)
    {
        var traffic = new TrafficCounters(recent, 0, recent, 0, 0, 0, inFlight, 0, [], recent, recent, null, null);
        return new TrafficSnapshot(written, [], [new DeploymentTraffic("web", traffic, traffic, [new ReplicaTraffic("web-1/0123456789ab", traffic)])]);
    }
}
