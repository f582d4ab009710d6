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
                    view.Show(ProgressFacts.From(status, target));
                    var verdict = RolloutJudge.Judge(target, status);
                    switch (verdict.Outcome)
                    {
                        case RolloutOutcome.RolledOut:
                            view.Finish($"rolled out: deployment '{target.Name}' {verdict.Message}{(status.Endpoint is { } e && status.ReadyReplicas > 0 ? $" at {e}" : string.Empty)}");
                            return ExitCodes.Ok;
                        case RolloutOutcome.Failed:
                            view.Finish($"failed: deployment '{target.Name}': {verdict.Message}");
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
                    view.Finish($"timed out: deployment '{target.Name}' is not rolled out after {timeout!.Value.TotalSeconds:0}s{why}; the rollout goes on (gradient-node get {slug})");
                    return ExitCodes.Timeout;
                }

                await _delay(left < Interval ? left : Interval, interrupt);
            }
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            view.Finish($"stopped following; the rollout goes on (gradient-node get {slug})");
            return ExitCodes.Interrupted;
        }
    }
}
