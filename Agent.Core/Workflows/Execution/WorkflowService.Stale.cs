using System.Globalization;
using GradientNode.Core.Engine;
using GradientNode.Core.Workflows.Runs;
using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>
/// Job containers left behind: an older version's engine-outage bug, or a removal that failed, could leave a job's container
/// after its run ended, and nothing removed it. At start and whenever a run ends, every container with this node's workflow
/// labels whose run has ended, or whose run folder is gone, is removed and logged (5173). Never touched: a container of a
/// run that has not ended (running, or to be continued at start), of a run whose record cannot be read (kept as it is,
/// 5170), or without this node's labels (another node's, or none of ours).
/// </summary>
public sealed partial class WorkflowService
{
    /// <summary>Removes this node's stale job containers; returns how many. Never throws for the engine: logged (5174) and tried again at the next end or start.</summary>
    internal async Task<int> RemoveStaleContainersAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<ContainerSummary> found;
        try
        {
            found = await jobs.ListNodeJobContainersAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (EngineException ex)
        {
            LogStaleSweepFailed(ex.Message);
            return 0;
        }

        var removed = 0;
        foreach (var container in found)
        {
            if (!container.Labels.TryGetValue(ContainerLabels.Workflow, out var workflow)
                || !container.Labels.TryGetValue(ContainerLabels.Run, out var number)
                || !int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var run)
                || _active.ContainsKey((workflow, run))
                || StaleBecause(workflow, run) is not { } reason)
            {
                continue;
            }

            try
            {
                await jobs.RemoveContainerAsync(container.Id, cancellationToken).ConfigureAwait(false);
                LogStaleContainerRemoved(container.Name, workflow, run, container.Labels.GetValueOrDefault(ContainerLabels.Job) ?? "?", reason);
                removed++;
            }
            catch (EngineException ex)
            {
                LogStaleSweepFailed(ex.Message);
            }
        }

        return removed;
    }

    /// <summary>Why a container of <paramref name="workflow"/>'s run <paramref name="run"/> is stale; null when it must stay.</summary>
    private string? StaleBecause(string workflow, int run)
    {
        if (!WorkflowNameRule.IsValid(workflow) || run <= 0)
        {
            return null; // not a name this node gives: not ours to judge
        }

        if (!Directory.Exists(store.RunDir(workflow, run)))
        {
            return "its run folder is gone (the run was deleted)";
        }

        // A record that cannot be read leaves the run as it is (5170); one that has not ended is running or continued at start.
        return store.Get(workflow, run) is { } record && record.Status.Phase.IsFinished()
            ? $"its run ended {record.Status.Phase.ToString().ToUpperInvariant()}"
            : null;
    }

    [LoggerMessage(EventId = 5173, Level = LogLevel.Information, Message = "removed job container {Container} (workflow {Workflow} run {Run}, job {Job}) left behind: {Reason}")]
    private partial void LogStaleContainerRemoved(string container, string workflow, int run, string job, string reason);

    [LoggerMessage(EventId = 5174, Level = LogLevel.Warning, Message = "removing job containers left behind by ended runs failed ({Error}); tried again when a run ends and at the next start")]
    private partial void LogStaleSweepFailed(string error);
}
