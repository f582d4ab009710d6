using GradientNode.Proxy.Connections;
using GradientNode.Tests.Infrastructure;
using Microsoft.AspNetCore.Connections.Features;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Connections;

/// <summary>
/// One connection's held close request on its own: Kestrel's side is a token the test cancels (the stop), HTTP's the
/// token the feature hands out. Its behaviour on a real Kestrel is <see cref="FirstRequestWaitTests"/>.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class HeldCloseRequestTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    [Test]
    public void Dispose_ConnectionOpenedAndClosedWithoutAStop_MadeNoTimer()
    {
        // Before: every accepted connection made the grace's timer, although only a stop uses it.
        var clock = new TimerCountingTimeProvider(new FakeTimeProvider());
        var kestrel = new KestrelSide();

        using (var held = new HeldCloseRequest(kestrel, clock, Grace))
        {
            held.FirstBytesRead();
        }

        using (new HeldCloseRequest(kestrel, clock, Grace))
        {
            // a connection that sent nothing before it closed
        }

        Assert.That(clock.CreatedTimers, Is.Zero);
    }

    [Test]
    public void OnStop_FirstBytesAlreadyRead_PassedAtOnceWithoutATimer()
    {
        var clock = new TimerCountingTimeProvider(new FakeTimeProvider());
        var kestrel = new KestrelSide();
        using var held = new HeldCloseRequest(kestrel, clock, Grace);
        held.FirstBytesRead();

        kestrel.RequestClose();

        Assert.Multiple(() =>
        {
            Assert.That(held.ConnectionClosedRequested.IsCancellationRequested, Is.True);
            Assert.That(clock.CreatedTimers, Is.Zero);
        });
    }

    [Test]
    public void OnStop_BeforeTheFirstBytes_HeldUntilTheGraceWithTheOneTimerItMade()
    {
        var clock = new TimerCountingTimeProvider(new FakeTimeProvider());
        var kestrel = new KestrelSide();
        using var held = new HeldCloseRequest(kestrel, clock, Grace);

        kestrel.RequestClose();
        var heldAtFirst = !held.ConnectionClosedRequested.IsCancellationRequested;
        clock.Fake.Advance(Grace);

        Assert.Multiple(() =>
        {
            Assert.That(heldAtFirst, Is.True);
            Assert.That(held.ConnectionClosedRequested.IsCancellationRequested, Is.True);
            Assert.That(clock.CreatedTimers, Is.EqualTo(1));
        });
    }

    [Test]
    public void FirstBytesRead_AfterTheStopBegan_PassedWithoutWaitingForTheGrace()
    {
        var clock = new TimerCountingTimeProvider(new FakeTimeProvider());
        var kestrel = new KestrelSide();
        using var held = new HeldCloseRequest(kestrel, clock, Grace);
        kestrel.RequestClose();

        held.FirstBytesRead();

        Assert.That(held.ConnectionClosedRequested.IsCancellationRequested, Is.True);
    }

    [Test]
    public void Dispose_AfterAStopThatMadeTheTimer_DisposesItAndItsGraceEndsQuietly()
    {
        var clock = new TimerCountingTimeProvider(new FakeTimeProvider());
        var kestrel = new KestrelSide();
        var held = new HeldCloseRequest(kestrel, clock, Grace);
        kestrel.RequestClose();

        held.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(clock.CreatedTimers, Is.EqualTo(1));
            Assert.That(clock.ActiveTimers, Is.Zero, "no timer left behind");
            Assert.DoesNotThrow(() => clock.Fake.Advance(Grace));
        });
    }

    [Test]
    public void Stop_AfterTheConnectionWasDisposed_MakesNoTimer()
    {
        var clock = new TimerCountingTimeProvider(new FakeTimeProvider());
        var kestrel = new KestrelSide();
        new HeldCloseRequest(kestrel, clock, Grace).Dispose();

        Assert.Multiple(() =>
        {
            Assert.DoesNotThrow(kestrel.RequestClose);
            Assert.That(clock.CreatedTimers, Is.Zero);
        });
    }

    [Test]
    public async Task Dispose_WhileTheStopMakesItsTimer_NoTimerLeftAndNothingThrown()
    {
        // The stop runs on Kestrel's thread, the disposal on the connection's: the stop is held inside CreateTimer while
        // the connection ends, in both orders of what follows. Every timer made is disposed and nothing throws.
        for (var round = 0; round < 50; round++)
        {
            var clock = new GatedTimeProvider(new TimerCountingTimeProvider(new FakeTimeProvider()));
            var kestrel = new KestrelSide();
            var held = new HeldCloseRequest(kestrel, clock, Grace);

            var stopping = Task.Run(kestrel.RequestClose);
            await clock.Entered.Task.WaitAsync(TestTimeouts.Request);
            var disposing = Task.Run(held.Dispose);
            if (round % 2 == 0)
            {
                await TestTimeouts.LetContinuationsRunAsync();
            }

            clock.Gate.SetResult();
            await Task.WhenAll(stopping, disposing).WaitAsync(TestTimeouts.Request);

            Assert.Multiple(() =>
            {
                Assert.That(clock.Inner.CreatedTimers, Is.EqualTo(1), $"round {round}");
                Assert.That(clock.Inner.ActiveTimers, Is.Zero, $"round {round}: the timer the stop made is disposed");
            });
            Assert.DoesNotThrow(() => clock.Inner.Fake.Advance(Grace));
        }
    }

    [Test]
    public async Task FirstBytesRead_AtTheMomentOfTheStop_NeverHeldForTheGrace()
    {
        // The stop and the first bytes on two threads at once: one of them always sees the other (no close request held
        // for the grace, which the fake clock here never ends).
        for (var round = 0; round < 500; round++)
        {
            var clock = new TimerCountingTimeProvider(new FakeTimeProvider());
            var kestrel = new KestrelSide();
            using var held = new HeldCloseRequest(kestrel, clock, Grace);
            using var start = new Barrier(2);

            await Task.WhenAll(
                Task.Run(() => { start.SignalAndWait(); kestrel.RequestClose(); }),
                Task.Run(() => { start.SignalAndWait(); held.FirstBytesRead(); })).WaitAsync(TestTimeouts.Request);

            Assert.That(held.ConnectionClosedRequested.IsCancellationRequested, Is.True, $"round {round}");
        }
    }

    /// <summary>Kestrel's side of one connection: its close-request token, cancelled by <see cref="RequestClose"/> (the stop).</summary>
    private sealed class KestrelSide : IConnectionLifetimeNotificationFeature
    {
        private readonly CancellationTokenSource _closing = new();

        public CancellationToken ConnectionClosedRequested { get; set; }

        public KestrelSide() => ConnectionClosedRequested = _closing.Token;

        public void RequestClose() => _closing.Cancel();
    }

    /// <summary>A clock whose timer creation waits at <see cref="Gate"/> (marked in <see cref="Entered"/>) before it makes the timer.</summary>
    private sealed class GatedTimeProvider(TimerCountingTimeProvider inner) : TimeProvider
    {
        public TimerCountingTimeProvider Inner => inner;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override long GetTimestamp() => inner.GetTimestamp();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Entered.TrySetResult();
            Gate.Task.Wait(TestTimeouts.Request);
            return inner.CreateTimer(callback, state, dueTime, period);
        }
    }
}
