namespace GradientNode.Daemon.Cli.Wait;

internal enum RolloutOutcome
{
    Pending,
    RolledOut,
    Failed,
}
