using System.Globalization;
using System.Net.Sockets;
using GradientNode.Core.Engine;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Reads a deployment's replicas from Docker by label and checks readiness: without a readiness probe, a running
/// replica is ready once its first port accepts a TCP connection on its bridge address (else
/// <see cref="ObservedReplica.NotReadyReason"/> says why not).
/// </summary>
public sealed class ReplicaObserver(IContainerEngine engine, ReconcilerOptions options)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(1);

    public async Task<IReadOnlyList<ObservedReplica>> ObserveAsync(string slug, int port, CancellationToken cancellationToken)
    {
        var summaries = await engine.ListContainersAsync(
            [$"{ContainerLabels.Node}={options.NodeName}", $"{ContainerLabels.Deployment}={slug}"], cancellationToken).ConfigureAwait(false);
        var tasks = summaries.Select(summary => ObserveOneAsync(summary, port, cancellationToken));
        var observed = await Task.WhenAll(tasks).ConfigureAwait(false);
        return [.. observed.OfType<ObservedReplica>().OrderBy(r => r.Index).ThenBy(r => r.Created)];
    }

    /// <summary>
    /// Every deployment slug that has containers of this node (for reaping removed deployments), each with a fingerprint of
    /// its containers' ids and states (for the resync to tell an unchanged deployment), and every container id (for
    /// dropping what is kept about removed containers), from one listing.
    /// </summary>
    public async Task<NodeContainers> ListSlugsAsync(CancellationToken cancellationToken)
    {
        var all = await engine.ListContainersAsync([$"{ContainerLabels.Node}={options.NodeName}"], cancellationToken).ConfigureAwait(false);
        var slugs = all
            .Select(c => (Slug: c.Labels.GetValueOrDefault(ContainerLabels.Deployment), Container: $"{c.Id}:{c.State}"))
            .Where(c => c.Slug is not null)
            .GroupBy(c => c.Slug!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => string.Join(',', g.Select(c => c.Container).Order(StringComparer.Ordinal)), StringComparer.Ordinal);
        return new NodeContainers(slugs, all.Select(c => c.Id).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>
    /// A running replica without an address never becomes ready (its network was disconnected or removed under it): it is
    /// stopped and replaced (<see cref="ObservedReplica.NetworkLoss"/>), and a new one gets the network again.
    /// </summary>
    public const string NoAddress = "network lost: it has no network address (its network was disconnected or removed under it); it is replaced";

    /// <summary>
    /// A running replica whose address does not answer and whose network namespace has no interface but <c>lo</c>
    /// (<see cref="NetworkNamespace"/>): the engine still reports the address it was given, but nothing can reach it, so
    /// it is replaced as one without an address is. Before, it stayed not ready for good without a liveness probe (faults11:
    /// its veth deleted while dockerd was down with live-restore).
    /// </summary>
    public const string InterfaceGone = "network lost: its network interface is gone (its network namespace has only lo: its veth was deleted, or its sandbox lost while dockerd was down), though the engine still names its address; it is replaced";

    /// <summary>
    /// A paused replica (<c>docker pause</c>) is running to the engine, and the kernel still accepts TCP connections on its
    /// port, but nothing answers them: it is not ready (out of rotation) until it is unpaused. The node leaves it paused
    /// (a pause is undone by <c>docker unpause</c>, and the operator may be looking at it); before, it stayed ready and
    /// every request the proxy sent it hung.
    /// </summary>
    public const string Paused = "paused (docker pause): its processes are frozen, so it is out of rotation until docker unpause";

    /// <summary>The engine's state of a container whose removal is under way (<c>docker rm -f</c> after its kill): taken as gone.</summary>
    public const string Removing = "removing";

    private async Task<ObservedReplica?> ObserveOneAsync(ContainerSummary summary, int port, CancellationToken cancellationToken)
    {
        var details = await engine.InspectContainerAsync(summary.Id, cancellationToken).ConfigureAwait(false);
        if (details is null || details.State.Status == Removing)
        {
            // Gone, or going: a docker rm -f kills a running replica (exit 137, a die event) before it removes it, and a
            // pass that looked in between counted the kill as a crash of the slot. A removal behind the node's back is
            // a restart of the slot with its counters as they were (SlotCounters), whichever moment the pass looked.
            return null;
        }

        var labels = details.Labels;
        var index = int.TryParse(labels.GetValueOrDefault(ContainerLabels.Replica), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : -1;
        var running = details.State.Running && !details.State.Restarting;

        // An old version's replica during a rollout that changes the port is checked on its own port, not the new one
        // (which it does not listen on: it would be not ready, and replaced at once rather than after its successor).
        var ownPort = int.TryParse(labels.GetValueOrDefault(ContainerLabels.Port), NumberStyles.None, CultureInfo.InvariantCulture, out var labelled)
            && labelled is > 0 and <= 65535 ? labelled : port;
        var paused = running && string.Equals(details.State.Status, "paused", StringComparison.Ordinal);
        var checkFailed = running && details.IpAddress is not null && !paused
            ? await ConnectFailureAsync(details.IpAddress, ownPort, details.ExposedPorts, cancellationToken).ConfigureAwait(false)
            : null;
        var networkLoss = !running ? null
            : details.IpAddress is null ? NoAddress
            : checkFailed is not null && NetworkNamespace.OnlyLoopback(options.ProcRoot, details.Pid, details.Id) ? InterfaceGone
            : null;
        var notReady = !running ? null
            : networkLoss is not null ? networkLoss
            : paused ? Paused
            : checkFailed;
        var ready = running && details.IpAddress is not null && notReady is null;
        return new ObservedReplica
        {
            ContainerId = details.Id,
            ContainerName = details.Name.TrimStart('/'),
            Index = index,
            SpecHash = labels.GetValueOrDefault(ContainerLabels.SpecHash) ?? string.Empty,
            Running = running,
            State = details.State.Status,
            OomKilled = !running && details.State.OomKilled,
            MemoryLimit = details.MemoryLimit,
            ExitCode = running ? ContainerRequestFactory.NullableIntLabel(labels, ContainerLabels.LastExitCode) : details.State.ExitCode,
            IpAddress = running ? details.IpAddress : null,
            Port = ownPort,
            Created = details.Created,
            StartedAt = details.State.StartedAt,
            FinishedAt = details.State.FinishedAt,
            Ready = ready,
            NotReadyReason = notReady,
            Paused = paused,
            NetworkLoss = networkLoss,
            Drift = CreationDrift.Of(details),
            ProbesHash = labels.GetValueOrDefault(ContainerLabels.ProbesHash),
            Restarts = ContainerRequestFactory.IntLabel(labels, ContainerLabels.Restarts),
            Crashes = ContainerRequestFactory.IntLabel(labels, ContainerLabels.Crashes),
            Gpus = Gpus.GpuAllocator.Uuids(labels),
        };
    }

    /// <summary>Null when <paramref name="port"/> accepts a TCP connection, else why not, in words (<see cref="PortCheckFailure"/>).</summary>
    private static async Task<string?> ConnectFailureAsync(string ip, int port, IReadOnlyList<int>? exposed, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(ip, port, timeout.Token).ConfigureAwait(false);
            return null;
        }
        catch (SocketException ex)
        {
            return PortCheckFailure.Failed(ip, port, ex.SocketErrorCode, exposed);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return PortCheckFailure.Silent(ip, port, ConnectTimeout);
        }
    }
}
