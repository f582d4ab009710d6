using System.Diagnostics;
using NUnit.Framework;

namespace GradientNode.Tests.Infrastructure;

/// <summary>
/// The one place for test time limits: generous, because 2 shared cores can be slow. Wait on conditions, never sleep:
/// every fixed span a test lets pass goes through <see cref="HoldAsync"/> (load that must run a while, a window in which
/// something must not happen) or <see cref="AssertStaysAsync"/>, with its reason, so that a bare <c>Task.Delay</c> in a
/// test stands out.
/// </summary>
internal static class TestTimeouts
{
    /// <summary>A single engine call or a quick condition.</summary>
    public static readonly TimeSpan Short = TimeSpan.FromSeconds(10);

    /// <summary>A container starting, stopping, or printing something.</summary>
    public static readonly TimeSpan Container = TimeSpan.FromSeconds(60);

    /// <summary>A whole deployment rollout.</summary>
    public static readonly TimeSpan Rollout = TimeSpan.FromSeconds(120);

    /// <summary>A headless browser starting (Firefox's first start on a loaded 2-core box takes tens of seconds).</summary>
    public static readonly TimeSpan BrowserLaunch = TimeSpan.FromSeconds(180);

    /// <summary>How often <see cref="WaitUntilAsync"/> checks its condition.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(150);

    /// <summary>Polls <paramref name="condition"/> until true; fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        WaitUntilAsync(condition, timeout, () => what);

    /// <summary>
    /// Polls <paramref name="condition"/> until true; fails after <paramref name="timeout"/> with <paramref name="what"/>,
    /// asked only then, so that it can describe what the last poll saw.
    /// </summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(what);
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                Assert.Fail($"timed out after {timeout.TotalSeconds:0.#} s waiting for {what()}");
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>A condition the proxy's own tests wait on (route reloads, stats files).</summary>
    public static readonly TimeSpan Condition = TimeSpan.FromSeconds(20);

    /// <summary>One request through the proxy.</summary>
    public static readonly TimeSpan Request = TimeSpan.FromSeconds(30);

    /// <summary>Polls a synchronous <paramref name="condition"/> until true; fails with <paramref name="what"/> after <see cref="Condition"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) > Condition)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>How long <see cref="LetContinuationsRunAsync"/> pauses.</summary>
    public static readonly TimeSpan ContinuationPause = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Lets real time pass where no condition can say when to go on: load that must run for a while (requests before and
    /// through a change), a window in which something must not happen and is checked after, a pause between a fake
    /// client's or server's steps. Never to wait for something that happens (<see cref="WaitUntilAsync(Func{Task{bool}}, TimeSpan, string)"/>);
    /// <paramref name="reason"/> says why a fixed span is right here.
    /// </summary>
    public static Task HoldAsync(string reason, TimeSpan span, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return Task.Delay(span, cancellationToken);
    }

    /// <summary>
    /// After a test moved a fake clock: a short real pause, so that the continuations the move released (on the thread
    /// pool) run before the test looks or moves the clock again.
    /// </summary>
    public static Task LetContinuationsRunAsync() => Task.Delay(ContinuationPause);

    /// <summary>
    /// Asserts that <paramref name="condition"/> holds at every check for <paramref name="span"/> (real time), the last
    /// one at its end: that something does not happen (an extra attempt, a change of state) while it could.
    /// </summary>
    public static async Task AssertStaysAsync(Func<bool> condition, TimeSpan span, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            Assert.That(condition(), Is.True, $"{what} (no longer so {elapsed.TotalMilliseconds:0} ms into the {span.TotalMilliseconds:0} ms it must hold)");
            if (elapsed >= span)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    /// <summary>True when <paramref name="task"/> ends within <paramref name="timeout"/>; false when it still runs then (it is left running).</summary>
    public static async Task<bool> CompletesWithinAsync(Task task, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(task);
        using var cancel = new CancellationTokenSource();
        var first = await Task.WhenAny(task, Task.Delay(timeout, cancel.Token));
        await cancel.CancelAsync();
        return first == task;
    }

    /// <summary>
    /// Polls <paramref name="condition"/> for at most <paramref name="timeout"/>; returns whether it came true. For a step
    /// that may or may not show (what follows checks the outcome); anything that must happen waits with
    /// <see cref="WaitUntilAsync(Func{bool}, string)"/>, which fails.
    /// </summary>
    public static async Task<bool> WaitAtMostAsync(Func<bool> condition, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        return true;
    }

    /// <summary>What a fake does that never answers: waits until <paramref name="cancellationToken"/> is cancelled, then throws.</summary>
    public static Task BlockUntilCancelledAsync(CancellationToken cancellationToken) => Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
}
