using System.Text.Json;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// The usage error of <c>workflows cancel NAME</c> without a RUN. A cancel ends work, so the run is never guessed (as
/// <c>get</c> and <c>logs</c> take the newest), but the error names the runs not ended and the command for the newest,
/// one copy away. Before, only <c>usage: workflows cancel NAME RUN</c>, and a <c>workflows runs</c> call to find it.
/// </summary>
internal static class RunsNotEnded
{
    /// <summary>The message, from the body of <c>GET /v1/workflows/NAME/runs</c>.</summary>
    public static string CancelUsage(string name, JsonElement runs)
    {
        var open = runs.EnumerateArray()
            .Select(r => (Run: WorkflowPrinter.Field(r, "run"), Phase: WorkflowPrinter.Field(r, "phase")))
            .Where(r => r.Phase is "PENDING" or "RUNNING")
            .ToList();
        return open.Count == 0
            ? $"usage: workflows cancel NAME RUN; workflow '{name}' has no run that has not ended (gradient-node workflows runs {name})"
            : $"usage: workflows cancel NAME RUN (the run is never guessed); not ended: {string.Join(", ", open.Select(r => $"run {r.Run} ({r.Phase})"))}; "
              + $"the newest: gradient-node workflows cancel {name} {open[^1].Run}";
    }
}
