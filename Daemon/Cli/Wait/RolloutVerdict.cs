namespace GradientNode.Daemon.Cli.Wait;

/// <summary>Where a followed rollout stands: still going, rolled out, or failed with a message.</summary>
internal sealed record RolloutVerdict(RolloutOutcome Outcome, string Message)
{
    public static readonly RolloutVerdict Pending = new(RolloutOutcome.Pending, string.Empty);
}
