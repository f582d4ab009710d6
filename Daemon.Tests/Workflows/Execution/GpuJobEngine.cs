using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using GradientNode.Core.Engine;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>
/// An in-memory <see cref="IContainerEngine"/> for the GPU-wait unit tests: <see cref="Containers"/> are listed with
/// Docker's label filters (<c>key</c> or <c>key=value</c>); a created job container has already exited, with the code
/// <see cref="ExitCodeOf"/> gives it (0 unless a test says otherwise);
/// every image is present. Counts creates and lists, so a test can tell a waiting job's retries apart.
/// </summary>
internal sealed class GpuJobEngine : IContainerEngine
{
    private int _lists;
    private int _unreachable;
    private int _inspections;

    public ConcurrentDictionary<string, ContainerDetails> Containers { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<ContainerCreateRequest> Created { get; } = new();

    public int Lists => Volatile.Read(ref _lists);

    /// <summary>The exit code of the container made from a request (0 unless a test sets it).</summary>
    public Func<ContainerCreateRequest, int> ExitCodeOf { get; set; } = _ => 0;

    /// <summary>A running container of this node that holds <paramref name="gpuUuid"/>, as a replica does.</summary>
    public void AddHolder(string node, string id, string gpuUuid) => Containers[id] = new ContainerDetails(
        id, id, "img", new Dictionary<string, string> { [ContainerLabels.Node] = node, [ContainerLabels.Deployment] = "hold", [ContainerLabels.Replica] = "0", [ContainerLabels.Gpus] = gpuUuid },
        new ContainerState("running", true, false, false, 0, null, null, null), null, DateTimeOffset.UnixEpoch, 0);

    public Task<string> CreateContainerAsync(ContainerCreateRequest request, CancellationToken cancellationToken)
    {
        Created.Enqueue(request);
        var id = $"id-{request.Name}";
        Containers[id] = new ContainerDetails(id, request.Name, request.Image, request.Labels, RunUntilStopped ? Running : new ContainerState("exited", false, false, false, ExitCodeOf(request), null, null, null), null, DateTimeOffset.UnixEpoch, 0);
        return Task.FromResult(id);
    }

    /// <summary>A created container runs until it is stopped (then exits 143), instead of having exited already.</summary>
    public bool RunUntilStopped { get; set; }

    private static ContainerState Running => new("running", true, false, false, 0, null, null, null);

    public Task StartContainerAsync(string id, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>When set, a stop waits for it before the container exits (a job in its grace period).</summary>
    public TaskCompletionSource? StopGate { get; set; }

    public async Task StopContainerAsync(string id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (StopGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (Containers.TryGetValue(id, out var container) && container.State.Running)
        {
            Containers[id] = container with { State = new ContainerState("exited", false, false, false, 143, null, null, null) };
        }
    }

    public Task RemoveContainerAsync(string id, bool force, CancellationToken cancellationToken)
    {
        Containers.TryRemove(id, out _);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(IReadOnlyCollection<string> labelFilters, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lists);
        var found = Containers.Values.Where(c => labelFilters.All(f => Matches(c.Labels, f)))
            .Select(c => new ContainerSummary(c.Id, c.Name, c.Image, c.Labels, c.State.Status, c.State.Status, c.Created)).ToList();
        return Task.FromResult<IReadOnlyList<ContainerSummary>>(found);
    }

    /// <summary>How many of the next inspections fail as an unreachable engine does (dockerd restarting).</summary>
    public int UnreachableInspections { get => Volatile.Read(ref _unreachable); set => Volatile.Write(ref _unreachable, value); }

    public int Inspections => Volatile.Read(ref _inspections);

    public Task<ContainerDetails?> InspectContainerAsync(string id, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _inspections);
        return Interlocked.Decrement(ref _unreachable) >= 0
            ? Task.FromException<ContainerDetails?>(new EngineUnavailableException("Docker engine at unix:///fake.sock is unreachable: no socket file there"))
            : Task.FromResult(Containers.GetValueOrDefault(id));
    }

    public async IAsyncEnumerable<LogLine> GetLogsAsync(string id, LogOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        yield break;
    }

    public Task<ImageDetails?> InspectImageAsync(string image, CancellationToken cancellationToken) =>
        Task.FromResult<ImageDetails?>(new ImageDetails("sha256:1", [image], null, null, []));

    public Task<EngineInfo> GetInfoAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new EngineInfo("test", "27.0", ["runc", "nvidia"], "runc", "systemd", "2", false));

    public Task<long> GetImagesDiskUsageAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task PullImageAsync(string image, RegistryAuth? auth, IProgress<PullProgress>? progress, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task PingAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<EngineVersion> GetVersionAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ExecResult> ExecAsync(string id, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ContainerStats> GetStatsAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public IAsyncEnumerable<EngineEvent> WatchEventsAsync(IReadOnlyCollection<string> labelFilters, CancellationToken cancellationToken) => throw new NotSupportedException();

    private static bool Matches(IReadOnlyDictionary<string, string> labels, string filter)
    {
        var equals = filter.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? labels.ContainsKey(filter) : labels.TryGetValue(filter[..equals], out var value) && value == filter[(equals + 1)..];
    }
}
