using GradientNode.Core.Common;
using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Status;

namespace GradientNode.Daemon.Api;

/// <summary>
/// The note a followed log stream (<c>logs -f</c>) carries when one replica's container stops while the others go on:
/// <c>[I SUFFIX] (replica I stopped: WHY)</c>, without a timestamp (as the stream's other notes), so that a client tells it
/// from the replica's own lines. WHY is the node's reason when the node stopped it (a failed probe, a lost GPU, in
/// <see cref="NodeStopStore"/>; a scale-down, a rollout's replacement, a removal, in the <see cref="ReplicaJournal"/>'s
/// <c>stopping</c> entry for that container), else its exit (<see cref="ContainerExit"/>, with the kernel's out-of-memory
/// kill), else that its container was removed. Before, the replica's lines just stopped (newuser15's finding, proxy19).
/// </summary>
internal static class ReplicaStopNote
{
    /// <summary>The note for <paramref name="container"/> whose log ended; null while it still runs (the engine ended the stream, not the container).</summary>
    public static async Task<string?> OfAsync(IContainerEngine engine, NodeStopStore? stops, ReplicaJournal? journal, string slug, ContainerSummary container, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(container);
        var index = container.Labels.GetValueOrDefault(ContainerLabels.Replica) ?? "?";
        ContainerDetails? details;
        try
        {
            details = await engine.InspectContainerAsync(container.Id, cancellationToken);
        }
        catch (Exception ex) when (ex is EngineException or IOException or HttpRequestException)
        {
            details = null;
        }

        if (details is { State.Running: true } or { State.Restarting: true })
        {
            return null;
        }

        var why = stops?.ReasonOf(container.Id)
            ?? Stopping(journal, $"{slug}-{index}", container.Name)
            ?? details switch
            {
                null => Last(journal, $"{slug}-{index}", container.Name, "failed", "stopped") ?? "its container was removed",
                { State.OomKilled: true } => $"{ContainerExit.Describe(details.State.ExitCode)}, killed for going over its memory limit",
                _ => ContainerExit.Describe(details.State.ExitCode),
            };
        return $"(replica {index} stopped: {why})";
    }

    /// <summary>The reason of the journal's last <c>stopping</c> entry for <paramref name="containerName"/>, if any.</summary>
    private static string? Stopping(ReplicaJournal? journal, string instance, string containerName) =>
        // The observer's own "stopping: draining" entry for the same container comes after the executor's, which has the reason.
        Last(journal, instance, containerName, "stopping");

    /// <summary>
    /// The message of the journal's last entry in one of <paramref name="states"/> for <paramref name="containerName"/>
    /// (<c>NAME: message</c>): an exit the node saw before it removed the container (a crash replaced at once).
    /// </summary>
    private static string? Last(ReplicaJournal? journal, string instance, string containerName, params string[] states)
    {
        var prefix = containerName.TrimStart('/') + ": ";
        return journal?.History(instance)
            .Where(e => states.Contains(e.State) && e.Message is { } m && m.StartsWith(prefix, StringComparison.Ordinal))
            .Select(e => e.Message![prefix.Length..])
            .LastOrDefault(reason => reason.Length > 0 && reason != StatusBuilder.Draining);
    }
}
