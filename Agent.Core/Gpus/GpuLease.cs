using System.Globalization;
using GradientNode.Core.Engine;

namespace GradientNode.Core.Gpus;

/// <summary>
/// What one new replica gets from its machine type: whole GPUs (held under the node-wide GPU lock until this
/// lease is disposed, i.e. until the container exists and carries its label) and CPU/memory limits.
/// </summary>
public sealed class GpuLease : IDisposable
{
    private SemaphoreSlim? _lock;

    internal GpuLease(MachineType type, IReadOnlyList<GpuDevice> devices, bool nvidiaRuntime, double cpus, string? waitMessage, SemaphoreSlim? heldLock, long? memoryBytes = null)
    {
        MemoryBytes = memoryBytes ?? type.MemoryBytes;
        Type = type;
        Devices = devices;
        NvidiaRuntime = nvidiaRuntime;
        Cpus = cpus;
        WaitMessage = waitMessage;
        _lock = heldLock;
    }

    public MachineType Type { get; }

    public IReadOnlyList<GpuDevice> Devices { get; }

    /// <summary>True: <c>HostConfig.Runtime=nvidia</c> + <c>NVIDIA_VISIBLE_DEVICES</c>; false: <c>DeviceRequests</c> with the UUIDs.</summary>
    public bool NvidiaRuntime { get; }

    /// <summary>The CPU limit: the type's CPUs, at most the host's.</summary>
    public double Cpus { get; }

    /// <summary>The memory limit: the type's memory, at most the host's.</summary>
    public long MemoryBytes { get; }

    /// <summary>Set when no GPUs are free: the replica is not created and waits.</summary>
    public string? WaitMessage { get; }

    /// <summary>Adds the GPUs (label, runtime or device request, environment) and the limits to a create request.</summary>
    public ContainerCreateRequest Apply(ContainerCreateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limited = request with
        {
            NanoCpus = (long)(Cpus * 1_000_000_000),
            MemoryBytes = MemoryBytes,
        };
        if (Devices.Count == 0)
        {
            return limited;
        }

        var ids = Devices.SelectMany(d => d.VisibleDeviceIds).ToList();
        var labels = new Dictionary<string, string>(request.Labels)
        {
            [ContainerLabels.Gpus] = string.Join(',', Devices.Select(d => d.Uuid)),
        };
        var env = request.Env.Where(e => !e.StartsWith("NVIDIA_VISIBLE_DEVICES=", StringComparison.Ordinal)).ToList();
        env.Add($"NVIDIA_VISIBLE_DEVICES={string.Join(',', ids)}");
        // NVIDIA_DRIVER_CAPABILITIES (the spec's allowed list, else the default) is GpuVisibility's, at every create.
        env.Add($"PAPERSPACE_GPU_COUNT={Devices.Count.ToString(CultureInfo.InvariantCulture)}");
        return limited with
        {
            Labels = labels,
            Env = env,
            Runtime = NvidiaRuntime ? GpuAssigner.NvidiaRuntime : request.Runtime,
            Gpus = NvidiaRuntime ? null : new GpuRequest(ids),
        };
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _lock, null)?.Release();
    }
}
