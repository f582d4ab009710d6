using System.Diagnostics;
using NUnit.Framework;

namespace GradientNode.Tests.Infrastructure;

/// <summary>The one place for test time limits: generous, because 2 shared cores can be slow. Wait on conditions, never sleep.</summary>
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
}
