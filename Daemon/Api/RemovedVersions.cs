using GradientNode.Core.Datasets;
using GradientNode.Core.Workflows.Runs;

namespace GradientNode.Daemon.Api;

/// <summary>
/// A run's status as <c>GET /v1/workflows/NAME/runs/RUN</c> shows it: each dataset version it names (its inputs, its
/// committed outputs, its jobs' own) that the dataset store no longer has is marked <c>isRemoved</c>. A run's record keeps
/// the versions it read and wrote, but gc removes untagged versions past <c>--dataset-keep</c>; before, <c>workflows get</c>
/// of an older run named such a version as if it could still be downloaded.
/// </summary>
internal static class RemovedVersions
{
    public static WorkflowRunStatus Mark(WorkflowRunStatus status, Func<string, bool> exists)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(exists);
        return status with
        {
            Inputs = Mark(status.Inputs, exists),
            Outputs = Mark(status.Outputs, exists),
            Jobs = status.Jobs.ToDictionary(j => j.Key, j => j.Value with { Inputs = Mark(j.Value.Inputs, exists), Outputs = Mark(j.Value.Outputs, exists) }),
        };
    }

    /// <summary>Whether <paramref name="store"/> still has the version <paramref name="id"/> (<c>NAME:VERSION</c>); an id it cannot read is taken as there.</summary>
    public static bool Exists(DatasetStore store, string id)
    {
        ArgumentNullException.ThrowIfNull(store);
        try
        {
            store.Resolve(id);
            return true;
        }
        catch (DatasetException e) when (e.Error == DatasetError.NotFound)
        {
            return false;
        }
        catch (DatasetException)
        {
            return true;
        }
    }

    // An output not committed names its write, not a version: nothing to look up.
    private static Dictionary<string, RunValue> Mark(IReadOnlyDictionary<string, RunValue> values, Func<string, bool> exists) =>
        values.ToDictionary(
            v => v.Key,
            v => v.Value.Dataset is { IsCommitted: not false } dataset && !exists(dataset.Id) ? v.Value with { Dataset = dataset with { IsRemoved = true } } : v.Value);
}
