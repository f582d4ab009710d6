using GradientNode.Core.Engine;
using GradientNode.Daemon.Api;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

[TestFixture]
[Category("Unit")]
internal sealed class LogFollowTests
{
    [Test]
    public async Task RunAsync_PumpHasNoRoomForANewContainer_TriedAgainAtTheNextListingThenFollowedOnce()
    {
        var clock = new FakeTimeProvider();
        var container = new ContainerSummary("c2", "gradient-web-0-bbbbbb", "gradient-test/web:1", new Dictionary<string, string>(), "running", "Up", DateTimeOffset.UnixEpoch);
        var listings = 0;
        var asked = 0;
        using var stop = new CancellationTokenSource();
        var follow = new LogFollow(
            _ =>
            {
                Interlocked.Increment(ref listings);
                return Task.FromResult<IReadOnlyList<ContainerSummary>>([container]);
            },
            () => true,
            (_, _) => Interlocked.Increment(ref asked) == 1 ? null : Task.CompletedTask, // no room (--max-log-follows) the first time
            clock);

        var run = follow.RunAsync([], [], stop.Token);
        // Each listing waits LogFollow.Interval on the fake clock: move it on until three listings are done.
        await TestTimeouts.WaitUntilAsync(
            () =>
            {
                clock.Advance(LogFollow.Interval);
                return Volatile.Read(ref listings) >= 3;
            },
            "three listings");
        await stop.CancelAsync();
        await run;

        Assert.That(asked, Is.EqualTo(2), "no room: tried again at the next listing; then followed, and not asked for again");
    }
}
