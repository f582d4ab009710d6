using GradientNode.Core.Reconciliation;
using GradientNode.Core.Status;

namespace GradientNode.Daemon.Cli.Wait;

/// <summary>One replica's state (<paramref name="old"/>: of a version other than the one followed) in the words of the progress display: creating, starting, probing, ready, draining, crashed (exit code N), …</summary>
internal static class ReplicaWords
{
    public static string Describe(ReplicaStatus replica, bool old)
    {
        ArgumentNullException.ThrowIfNull(replica);
        var word = replica.State switch
        {
            "created" => "creating",
            "restarting" => "restarting",
            "running" when replica.Ready => "ready",
            "running" when replica.StateMessage == StatusBuilder.Draining => "draining",
            "running" when replica.Health?.Health == "starting" => "starting",
            "running" => "probing",
            _ when replica.LastExitCode is { } code and not 0 => $"crashed (exit code {code})",
            _ => replica.State,
        };
        // A replica replaced for drift says why it is old although its version is the one followed.
        var detail = old && replica.Drift is { } drift ? $": {drift}"
            : word is "ready" or "draining" || replica.StateMessage is null ? string.Empty : $": {replica.StateMessage}";
        return $"{word}{(old ? " (old version)" : string.Empty)}{detail}";
    }
}
