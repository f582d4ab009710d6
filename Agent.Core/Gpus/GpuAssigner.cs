using System.Globalization;
using GradientNode.Core.Engine;
using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Gpus;

/// <summary>
/// The executor side of GPU assignment. GPUs are node-wide, so one lock covers every deployment: a lease is
/// taken before a replica is created and released once its container (and its <see cref="ContainerLabels.Gpus"/>)
/// exists, so the next allocation sees it. Who holds what is always read back from Docker.
/// </summary>
public sealed partial class GpuAssigner(
    IContainerEngine engine,
    GpuInventory inventory,
    MachineTypeTable types,
    string nodeName,
    ILogger<GpuAssigner> logger,
    int? hostCpus = null,
    long? hostMemory = null)
{
    public const string NvidiaRuntime = "nvidia";
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly int _hostCpus = hostCpus ?? Environment.ProcessorCount;
    private bool? _hasRuntime;

    public MachineTypeTable Types => types;

    public GpuInventory Inventory => inventory;

    /// <summary>
    /// A GPU holder's container was stopped or removed by the node (a replica, a workflow job): waiters look again at
    /// once instead of at their next poll. Not raised for containers removed outside the node; waiters keep a poll for those.
    /// </summary>
    public event Action? Freed;

    /// <summary>Raises <see cref="Freed"/> (subscribers only set a wake-up signal).</summary>
    public void NotifyFreed() => Freed?.Invoke();

    /// <summary>
    /// Why a lease for <paramref name="machineType"/> would wait now, or null when it could be granted (or the type takes
    /// no GPUs, or is unknown: <see cref="AcquireAsync"/> says so). Read-only and lock-free: a cheap look before a caller
    /// prepares work it would throw away; the lease itself is still taken with <see cref="AcquireAsync"/>, which may still wait.
    /// </summary>
    public async Task<string?> CheckAsync(string machineType, CancellationToken cancellationToken)
    {
        if (types.Find(machineType) is not { HasGpus: true } type)
        {
            return null;
        }

        var snapshot = await inventory.GetAsync(cancellationToken).ConfigureAwait(false);
        var held = await HeldByAsync(cancellationToken).ConfigureAwait(false);
        return GpuAllocator.Allocate(type, snapshot.Devices, held, types.GpuModelMustMatch, snapshot.Note).WaitMessage;
    }

    /// <summary>Null when the type is known, else the status message listing the known types.</summary>
    public string? Validate(string machineType) => types.Unknown(machineType);

    /// <summary>
    /// The resources for replica <paramref name="index"/> of <paramref name="slug"/>. For a GPU type this holds the
    /// node-wide GPU lock until the lease is disposed (unless the lease says to wait). Throws for an unknown type.
    /// </summary>
    public async Task<GpuLease> AcquireAsync(string slug, int index, string machineType, CancellationToken cancellationToken)
    {
        var type = types.Find(machineType) ?? throw new ArgumentException(types.Unknown(machineType), nameof(machineType));
        var cpus = Math.Min(type.Cpus, _hostCpus);
        var memory = MemoryLimit(type);
        if (!type.HasGpus)
        {
            return new GpuLease(type, [], false, cpus, null, null, memory);
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var snapshot = await inventory.GetAsync(cancellationToken).ConfigureAwait(false);
            var held = await HeldByAsync(cancellationToken).ConfigureAwait(false);
            var allocation = GpuAllocator.Allocate(type, snapshot.Devices, held, types.GpuModelMustMatch, snapshot.Note);
            if (!allocation.Granted)
            {
                _lock.Release();
                LogWaiting(slug, index, allocation.WaitMessage!);
                return new GpuLease(type, [], false, cpus, allocation.WaitMessage, null, memory);
            }

            var runtime = await HasNvidiaRuntimeAsync(cancellationToken).ConfigureAwait(false);
            LogAssigned(slug, index, string.Join(",", allocation.Devices.Select(d => d.Uuid)), runtime ? "runtime nvidia" : "DeviceRequests");
            return new GpuLease(type, allocation.Devices, runtime, cpus, null, _lock, memory);
        }
        catch
        {
            _lock.Release();
            throw;
        }
    }

    /// <summary>
    /// What a replica of <paramref name="machineType"/> gets less of than its type says, because the host has less: CPUs and
    /// memory are limited to the host's (Docker accepts a memory limit past the host's <c>MemTotal</c>, which then limits
    /// nothing). For status, as notes; none for an unknown type (<see cref="Validate"/> says so) or one that fits.
    /// </summary>
    public IReadOnlyList<string> Limits(string machineType)
    {
        if (types.Find(machineType) is not { } type)
        {
            return [];
        }

        var notes = new List<string>();
        if (type.Cpus > _hostCpus)
        {
            notes.Add($"resources.machineType {type.Name} asks for {type.Cpus.ToString(CultureInfo.InvariantCulture)} CPUs; this host has {_hostCpus.ToString(CultureInfo.InvariantCulture)}, so each replica is limited to {_hostCpus.ToString(CultureInfo.InvariantCulture)}");
        }

        if (MemoryLimit(type) < type.MemoryBytes)
        {
            notes.Add($"resources.machineType {type.Name} asks for {Gib(type.MemoryBytes)} of memory; this host has {Gib(hostMemory!.Value)}, so each replica is limited to {Gib(hostMemory.Value)}");
        }

        return notes;
    }

    /// <summary>Which replica holds each GPU UUID, read from this node's containers.</summary>
    public async Task<IReadOnlyDictionary<string, string>> HeldByAsync(CancellationToken cancellationToken)
    {
        var containers = await engine.ListContainersAsync([$"{ContainerLabels.Node}={nodeName}", ContainerLabels.Gpus], cancellationToken).ConfigureAwait(false);
        return GpuAllocator.HeldBy(containers);
    }

    /// <summary>Whether dockerd has a runtime named nvidia (asked once; a dockerd reconfiguration needs a daemon restart).</summary>
    public async Task<bool> HasNvidiaRuntimeAsync(CancellationToken cancellationToken)
    {
        if (_hasRuntime is { } known)
        {
            return known;
        }

        var info = await engine.GetInfoAsync(cancellationToken).ConfigureAwait(false);
        _hasRuntime = info.Runtimes.Contains(NvidiaRuntime, StringComparer.Ordinal);
        return _hasRuntime.Value;
    }

    /// <summary>Turns dockerd's terse GPU errors into an actionable message; other messages pass through.</summary>
    public static string Explain(string engineMessage)
    {
        ArgumentNullException.ThrowIfNull(engineMessage);
        return engineMessage.Contains("could not select device driver", StringComparison.Ordinal)
            ? "Docker cannot give GPUs to containers: dockerd has no 'nvidia' runtime and no NVIDIA device driver "
              + "(install the NVIDIA Container Toolkit, run 'nvidia-ctk runtime configure --runtime=docker' and restart dockerd). "
              + $"Docker said: {engineMessage}"
            : engineMessage;
    }

    private long MemoryLimit(MachineType type) => hostMemory is > 0 and var host ? Math.Min(type.MemoryBytes, host) : type.MemoryBytes;

    private static string Gib(long bytes) => $"{(bytes / (double)(1L << 30)).ToString("0.#", CultureInfo.InvariantCulture)} GiB";

    [LoggerMessage(EventId = 1803, Level = LogLevel.Information, Message = "{Slug}: replica {Index} gets GPU(s) {Uuids} ({Mechanism})")]
    private partial void LogAssigned(string slug, int index, string uuids, string mechanism);

    [LoggerMessage(EventId = 1804, Level = LogLevel.Debug, Message = "{Slug}: replica {Index} waits: {Message}")]
    private partial void LogWaiting(string slug, int index, string message);
}
