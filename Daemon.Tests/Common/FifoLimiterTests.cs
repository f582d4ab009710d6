using GradientNode.Core.Common;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Common;

[TestFixture]
[Category("Unit")]
internal sealed class FifoLimiterTests
{
    [Test]
    public async Task EnterAsync_ManyCallersAtOnce_NeverMoreThanLimitInside()
    {
        var limiter = new FifoLimiter(3);
        var inside = 0;
        var most = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task WorkAsync()
        {
            using (await limiter.EnterAsync(CancellationToken.None))
            {
                var now = Interlocked.Increment(ref inside);
                InterlockedMax(ref most, now);
                await release.Task;
                Interlocked.Decrement(ref inside);
            }
        }

        var work = Enumerable.Range(0, 20).Select(_ => Task.Run(WorkAsync)).ToList();
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(limiter.Held == 3 && limiter.Waiting == 17), TestTimeouts.Short, "3 inside and 17 waiting");
        release.SetResult();
        await Task.WhenAll(work).WaitAsync(TestTimeouts.Short);

        Assert.Multiple(() =>
        {
            Assert.That(most, Is.EqualTo(3));
            Assert.That(limiter.Held, Is.Zero);
            Assert.That(limiter.Waiting, Is.Zero);
        });
    }

    [Test]
    public async Task EnterAsync_SlotReleased_GoesToTheOldestWaiterNotANewcomer()
    {
        var limiter = new FifoLimiter(1);
        var first = await limiter.EnterAsync(CancellationToken.None);
        var order = new List<int>();
        var waiters = new List<Task>();
        for (var i = 0; i < 5; i++)
        {
            var n = i;
            waiters.Add(EnterThenRecordAsync(limiter, order, n));
            await TestTimeouts.WaitUntilAsync(() => Task.FromResult(limiter.Waiting == n + 1), TestTimeouts.Short, $"waiter {n} to queue");
        }

        first.Dispose();
        await Task.WhenAll(waiters).WaitAsync(TestTimeouts.Short);

        Assert.That(order, Is.EqualTo(new[] { 0, 1, 2, 3, 4 }));
    }

    [Test]
    public async Task EnterAsync_WaiterCancelled_LeavesTheQueueAndTheNextOneGetsTheSlot()
    {
        var limiter = new FifoLimiter(1);
        var held = await limiter.EnterAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var cancelled = limiter.EnterAsync(cts.Token);
        var next = limiter.EnterAsync(CancellationToken.None);

        await cts.CancelAsync();
        Assert.That(async () => await cancelled.WaitAsync(TestTimeouts.Short), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(limiter.Waiting, Is.EqualTo(1), "only the waiter that was not cancelled still waits");

        held.Dispose();
        held.Dispose();
        var lease = await next.WaitAsync(TestTimeouts.Short);
        Assert.That(limiter.Held, Is.EqualTo(1), "a lease disposed twice releases once");
        lease.Dispose();
        Assert.That(limiter.Held, Is.Zero);
    }

    [Test]
    public void EnterAsync_AlreadyCancelled_ThrowsWithoutTakingASlot()
    {
        var limiter = new FifoLimiter(2);

        Assert.That(async () => await limiter.EnterAsync(new CancellationToken(canceled: true)), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(limiter.Held, Is.Zero);
    }

    [Test]
    public void Constructor_LimitBelowOne_Throws() =>
        Assert.That(() => new FifoLimiter(0), Throws.InstanceOf<ArgumentOutOfRangeException>());

    private static async Task EnterThenRecordAsync(FifoLimiter limiter, List<int> order, int n)
    {
        using (await limiter.EnterAsync(CancellationToken.None))
        {
            lock (order)
            {
                order.Add(n);
            }
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
