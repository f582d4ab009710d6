using GradientNode.Core.Specs;
using GradientNode.Core.Status;

namespace GradientNode.Daemon.Cli.Wait;

/// <summary>
/// <c>--wait</c>: reads the deployment's status every <see cref="Interval"/> until the target version rolled out (exit 0),
/// failed (exit 1, with the message), <c>--timeout</c> passed (exit 124), or Ctrl-C stopped the following (exit 130;
/// the rollout itself goes on). A daemon that stops answering (restarted: its replicas keep running) is waited for up to
/// <see cref="ReconnectGrace"/> with a line saying so; past it the following ends with exit 3.
/// </summary>
internal sealed class RolloutFollower(
    Func<CancellationToken, Task<DeploymentStatus?>> read,
    IProgressView view,
    TimeProvider time,
    Func<TimeSpan, CancellationToken, Task>? delay = null)
{
    private readonly Func<TimeSpan, CancellationToken, Task> _delay = delay ?? ((wait, ct) => Task.Delay(wait, time, ct));

    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a daemon that does not answer is waited for: a restart takes its graceful stop (at most 20 s) and a start.</summary>
    public static readonly TimeSpan ReconnectGrace = TimeSpan.FromSeconds(30);

    private const string NotAnswering = "the daemon does not answer (restarting?); still following";

    public async Task<int> FollowAsync(RolloutTarget target, TimeSpan? timeout, CancellationToken interrupt)
    {
        ArgumentNullException.ThrowIfNull(target);
        // Monotonic: a step of the wall clock neither ends --timeout at once nor stretches it.
        var started = time.GetTimestamp();
        var wait = timeout ?? TimeSpan.MaxValue;
        var slug = DeploymentName.ToSlug(target.Name);
        long? lostSince = null;
        DeploymentStatus? last = null;
        var deadline = new WaitDeadline(target, timeout, time.GetUtcNow());
        try
        {
            while (true)
            {
                DeploymentStatus? snapshot;
                try
                {
                    snapshot = await read(interrupt);
                    lostSince = null;
                }
                catch (DaemonUnreachableException ex)
                {
                    lostSince ??= time.GetTimestamp();
                    if (time.GetElapsedTime(lostSince.Value) >= ReconnectGrace)
                    {
                        view.Finish($"lost the daemon for {ReconnectGrace.TotalSeconds:0}s: {ex.Message} The rollout goes on once it is back (gradient-node get {slug})");
                        return ExitCodes.Unreachable;
                    }

                    view.Show([new ProgressFact("state", NotAnswering, NotAnswering)]);
                    snapshot = null;
                }

                if (snapshot is { } status)
                {
                    last = status;
                    var verdict = RolloutJudge.Judge(target, status);
                    // When --wait and the node give up, said as the wait starts and again, with the time, once a problem shows.
                    view.Show(verdict.Outcome == RolloutOutcome.Pending ? [.. ProgressFacts.From(status, target), .. deadline.Facts(status, time.GetUtcNow())] : ProgressFacts.From(status, target));
                    switch (verdict.Outcome)
                    {
                        case RolloutOutcome.RolledOut:
                            view.Finish($"rolled out: deployment '{target.Name}' {verdict.Message}{(status.Endpoint is { } e && status.ReadyReplicas > 0 ? $" at {e}" : string.Empty)}");
                            return ExitCodes.Ok;
                        case RolloutOutcome.Failed:
                            view.Finish($"failed: deployment '{target.Name}': {WithServing(verdict.Message, deadline.StillServing(status, verdict.Message))}");
                            return ExitCodes.Failed;
                    }
                }

                var left = timeout is null ? TimeSpan.MaxValue : wait - time.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    // Everything else was in place: only the proxy has not taken the new route table (stopped, or failing to read it).
                    var why = last is { Routed: false } && RolloutJudge.Judge(target, last with { Routed = null }).Outcome == RolloutOutcome.RolledOut
                        ? "; its replicas are ready but the proxy does not serve them yet (is the proxy role running? gradient-node node)"
                        : string.Empty;
                    view.Finish($"timed out: deployment '{target.Name}' is not rolled out after {timeout!.Value.TotalSeconds:0}s{why}; --wait gave up (--timeout {WaitDeadline.Duration(timeout.Value)}), the rollout goes on{WaitDeadline.NodeGivesUp(last)}{deadline.StillServing(last, string.Empty)} (gradient-node get {slug})");
                    return ExitCodes.Timeout;
                }

                await _delay(left < Interval ? left : Interval, interrupt);
            }
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            view.Finish($"stopped following; the rollout goes on{deadline.StillServing(last, string.Empty)} (gradient-node get {slug})");
            return ExitCodes.Interrupted;
        }
    }

    /// <summary><paramref name="serving"/> after the first line of <paramref name="message"/> (its last log lines follow it).</summary>
    private static string WithServing(string message, string serving)
    {
        var end = message.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? message + serving : message[..end] + serving + message[end..];
    }
}
