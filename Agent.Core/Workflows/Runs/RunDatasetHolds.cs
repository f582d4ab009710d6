namespace GradientNode.Core.Workflows.Runs;

/// <summary>
/// A run holds the dataset versions it resolved (its inputs, and the versions its jobs committed for later jobs) from
/// resolution until it ends, so that <c>datasets rm</c> cannot take one away before a job mounts it. The holder is named
/// for people (<c>workflow 'train' run 3</c>); the versions are read back from the run's record after a restart.
/// </summary>
public static class RunDatasetHolds
{
    public static string Holder(string workflow, int run) => $"workflow '{workflow}' run {run}";

    public static string Holder(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Holder(run.Status.Workflow, run.Status.Run);
    }

    /// <summary>The ids (<c>NAME:VERSION</c>) of every dataset version the run's record names: inputs, outputs, each job's, and the jobs' inline inputs pinned at start.</summary>
    public static IReadOnlySet<string> VersionsOf(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var values = run.Status.Inputs.Values.Concat(run.Status.Outputs.Values).Concat(run.PinnedInputs.Values)
            .Concat(run.Status.Jobs.Values.SelectMany(j => j.Inputs.Values.Concat(j.Outputs.Values)));
        return values.Select(v => v.Dataset?.Id).OfType<string>().ToHashSet(StringComparer.Ordinal);
    }
}
