using GradientNode.Core.Engine;
using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Networking;

/// <summary>
/// The node's replica network (docs/design/security.md, "Replicas are reached through the proxy only"): a bridge of
/// its own, made by the node when missing, on which replicas cannot reach each other (<c>enable_icc=false</c>), and a
/// host rule (<see cref="IHostFirewall"/>) that refuses local users' connections into it, so that a deployment's
/// password cannot be passed by calling a replica's address. Replicas join it by id. Named <c>bridge</c>, replicas
/// stay on the engine's default bridge, unprotected, and the node says so.
/// </summary>
public sealed partial class ReplicaNetwork(
    IEngineNetworks engine,
    IHostFirewall firewall,
    string name,
    string nodeName,
    TimeProvider time,
    ILogger<ReplicaNetwork> logger,
    string lockPath = "/run/gradient-node.network.lock") : IReplicaNetwork
{
    /// <summary>The value of <c>replicaNetwork</c> that keeps replicas on the engine's default bridge.</summary>
    public const string DefaultBridgeName = "bridge";

    /// <summary>The label the node puts on the network it makes.</summary>
    public const string ManagedLabel = "gradient.managed";

    /// <summary>How long a found network is used without asking the engine again.</summary>
    private static readonly TimeSpan Reuse = TimeSpan.FromSeconds(5);

    /// <summary>How often the host rule is checked again for a bridge already protected (someone may flush the rules).</summary>
    private static readonly TimeSpan Recheck = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    // At: monotonic. With the wall clock, a step back kept the choice, and the firewall rule unchecked, for as long.
    private (ReplicaNetworkChoice Choice, long At)? _last;
    private int _invalidated;
    private (string Bridge, long At)? _protected;
    private string? _networkWarning;
    private string? _firewallWarning;

    public string Name => name;

    /// <summary>What keeps replicas from being reached only through the proxy, for <c>gradient-node node</c>; empty when nothing does.</summary>
    public IReadOnlyList<string> Warnings =>
        name == DefaultBridgeName
            ? [$"replicas run on the engine's default bridge (replicaNetwork: {DefaultBridgeName}): local users and other containers can reach them without their deployment's password"]
            : [.. new[] { _networkWarning, _firewallWarning }.OfType<string>()];

    /// <inheritdoc />
    public void Invalidate() => Interlocked.Exchange(ref _invalidated, 1);

    public async Task<ReplicaNetworkChoice> EnsureAsync(CancellationToken cancellationToken)
    {
        if (name == DefaultBridgeName)
        {
            return ReplicaNetworkChoice.DefaultBridge;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetTimestamp();
            var invalidated = Interlocked.Exchange(ref _invalidated, 0) == 1;
            if (!invalidated && _last is { } last && time.GetElapsedTime(last.At) < Reuse && last.Choice.Error is null)
            {
                return last.Choice;
            }

            var choice = await FindOrCreateAsync(cancellationToken).ConfigureAwait(false);
            _last = (choice, now);
            return choice;
        }
        catch (EngineException ex)
        {
            var error = $"the replica network '{name}' could not be found or made: {ex.Message}";
            LogNetworkFailed(logger, name, ex.Message);
            return new ReplicaNetworkChoice(null, error);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// One warning for the node's running replicas outside the network (started before the node had one, e.g. by an
    /// older version): they stay reachable past the proxy until they are replaced. Null when there are none.
    /// </summary>
    public async Task<string?> OutsideReplicasAsync(IContainerEngine containers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(containers);
        return name == DefaultBridgeName
            ? null
            : OutsideReplicas(await containers.ListContainersAsync([$"{ContainerLabels.Node}={nodeName}", ContainerLabels.Deployment], cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The same warning from a listing of the node's containers already made (those without a deployment label are skipped).</summary>
    public string? OutsideReplicas(IReadOnlyList<ContainerSummary> nodeContainers)
    {
        ArgumentNullException.ThrowIfNull(nodeContainers);
        if (name == DefaultBridgeName)
        {
            return null;
        }

        var outside = nodeContainers
            .Where(c => c.Labels.ContainsKey(ContainerLabels.Deployment) && c.State == "running" && !c.Networks.Contains(name, StringComparer.Ordinal))
            .ToList();
        if (outside.Count == 0)
        {
            return null;
        }

        var names = outside.Select(c => c.Labels.GetValueOrDefault(ContainerLabels.Name) ?? c.Labels[ContainerLabels.Deployment])
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return $"{outside.Count} replica(s) of {string.Join(", ", names)} run outside the replica network '{name}' (started before the node had it): "
            + "local users and other containers can reach them without the password until they are replaced (gradient-node restart NAME)";
    }

    /// <summary>
    /// When the node stops: the network the node made (<see cref="ManagedLabel"/>) is removed when no container of any
    /// node is on it, and then the node's host rules naming its bridge. While a replica or a job's container is on it (they
    /// outlive the daemon), both stay, so the replicas stay protected across a restart. A network made by hand stays, and
    /// so does its rule. Never throws but for a cancellation.
    /// </summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (name == DefaultBridgeName)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The lock FindOrCreateAsync takes: a node of this host that finds none while this one removes it makes a new one after.
            using var hostLock = await HostLock.AcquireAsync(lockPath, TimeSpan.FromSeconds(30), time, cancellationToken).ConfigureAwait(false);
            foreach (var network in await engine.FindNetworksAsync(name, cancellationToken).ConfigureAwait(false))
            {
                if (network.Labels.GetValueOrDefault(ManagedLabel) != "true" || network.BridgeInterface is not { } bridge)
                {
                    continue;
                }

                if (!await engine.RemoveNetworkIfUnusedAsync(network, cancellationToken).ConfigureAwait(false))
                {
                    LogNetworkKept(logger, name);
                    continue;
                }

                LogNetworkRemoved(logger, name, bridge);
                if (await firewall.UnprotectAsync(bridge, cancellationToken).ConfigureAwait(false) is { } failure)
                {
                    LogRuleLeft(logger, bridge, failure);
                }
            }

            _last = null;
            _protected = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The next start removes a rule whose bridge is gone (IHostFirewall.ProtectAsync).
            LogReleaseFailed(logger, name, ex.Message);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Checks the host rule on the next call even when the bridge was protected a moment ago.</summary>
    public void RecheckSoon() => _protected = null;

    private async Task<ReplicaNetworkChoice> FindOrCreateAsync(CancellationToken cancellationToken)
    {
        var found = await engine.FindNetworksAsync(name, cancellationToken).ConfigureAwait(false);
        if (found.Count == 0)
        {
            // Every node of this host takes the same lock: two that find none make one, not two.
            using var hostLock = await HostLock.AcquireAsync(lockPath, TimeSpan.FromSeconds(30), time, cancellationToken).ConfigureAwait(false);
            found = await engine.FindNetworksAsync(name, cancellationToken).ConfigureAwait(false);
            if (found.Count == 0)
            {
                await engine.CreateNetworkAsync(Request(), cancellationToken).ConfigureAwait(false);
                LogNetworkCreated(logger, name);
                found = await engine.FindNetworksAsync(name, cancellationToken).ConfigureAwait(false);
            }
        }

        // An engine before API 1.44 lets two networks share a name: every node picks the oldest, by id when tied.
        if (found.Count == 0)
        {
            return new ReplicaNetworkChoice(null, $"the replica network '{name}' was made but the engine does not list it");
        }

        var network = found[0];
        if (network.BridgeInterface is not { } bridge)
        {
            return new ReplicaNetworkChoice(null,
                $"the replica network '{name}' uses the '{network.Driver}' driver; the node needs a bridge network: remove it (docker network rm {name}) or name another in node.yaml (replicaNetwork)");
        }

        _networkWarning = network.InterContainerBlocked
            ? null
            : $"the replica network '{name}' lets its containers reach each other (it was made without {NetworkDetails.InterContainerOption}=false): one replica can call another deployment's without its password; with no replica on it, remove it (docker network rm {name}) and the node makes it again";
        await ProtectAsync(bridge, cancellationToken).ConfigureAwait(false);
        return new ReplicaNetworkChoice(network.Id, null);
    }

    private async Task ProtectAsync(string bridge, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        if (_protected is { } done && done.Bridge == bridge && time.GetElapsedTime(done.At) < Recheck)
        {
            return;
        }

        // Done or not, the rule is looked at again after Recheck: a host without iptables is told once, not per replica.
        string? failure;
        try
        {
            failure = await firewall.ProtectAsync(bridge, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failure = ex.Message;
        }

        var warning = failure is null
            ? null
            : $"local users can reach replicas on '{name}' ({bridge}) without their deployment's password: {failure}";
        if (warning is not null && warning != _firewallWarning)
        {
            LogUnprotected(logger, name, bridge, failure!);
        }

        _firewallWarning = warning;
        _protected = (bridge, now);
    }

    private NetworkCreateRequest Request() => new(name)
    {
        Options = new Dictionary<string, string> { [NetworkDetails.InterContainerOption] = "false" },
        Labels = new Dictionary<string, string> { [ManagedLabel] = "true", [ContainerLabels.Node] = nodeName },
    };

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "Made the replica network {Name} (a bridge on which containers cannot reach each other)")]
    private static partial void LogNetworkCreated(ILogger logger, string name);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "Local users can reach replicas on {Name} ({Bridge}) without their deployment's password: {Reason}")]
    private static partial void LogUnprotected(ILogger logger, string name, string bridge, string reason);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Information, Message = "The replica network {Name} stays: containers are on it (they outlive the node), and so does its host rule")]
    private static partial void LogNetworkKept(ILogger logger, string name);

    [LoggerMessage(EventId = 2109, Level = LogLevel.Information, Message = "Removed the replica network {Name} ({Bridge}): nothing was on it")]
    private static partial void LogNetworkRemoved(ILogger logger, string name, string bridge);

    [LoggerMessage(EventId = 2110, Level = LogLevel.Warning, Message = "The node's rule for {Bridge} stays after its network was removed (the next start removes it): {Reason}")]
    private static partial void LogRuleLeft(ILogger logger, string bridge, string reason);

    [LoggerMessage(EventId = 2111, Level = LogLevel.Warning, Message = "The replica network {Name} could not be looked at when the node stopped (the next start removes a rule left behind): {Reason}")]
    private static partial void LogReleaseFailed(ILogger logger, string name, string reason);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "The replica network {Name} could not be found or made: {Reason}")]
    private static partial void LogNetworkFailed(ILogger logger, string name, string reason);
}
