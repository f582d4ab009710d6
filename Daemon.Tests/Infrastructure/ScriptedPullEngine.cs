using GradientNode.Core.Engine;

namespace GradientNode.Tests.Infrastructure;

/// <summary>
/// An in-memory <see cref="IContainerEngine"/> for reconciler unit tests of pulls: no image is present until pulled,
/// a pull replays <see cref="Script"/> (running each step's action first, e.g. to advance a fake clock), and created
/// containers are only counted after the label check DockerEngine makes (none is ever listed; <see cref="Listed"/> are, and stopping or removing one is only counted). A pull can be held until <see cref="PullGate"/> completes (it honours
/// cancellation), listing can be made to throw <see cref="ListFault"/> and creating <see cref="CreateFault"/>. Events never come. Everything else is not supported.
/// </summary>
internal sealed class ScriptedPullEngine : IContainerEngine
{
    private readonly HashSet<string> _images = new(StringComparer.Ordinal);
    private int _created;
    private int _removals;
    private int _imageInspects;

    public List<(Action? Before, PullProgress Line)> Script { get; } = [];

    public List<RegistryAuth?> PullAuths { get; } = [];

    public int Created => Volatile.Read(ref _created);

    /// <summary>Containers that every listing returns (e.g. replicas a previous daemon left running).</summary>
    public List<ContainerSummary> Listed { get; } = [];

    /// <summary>How many stop and remove calls were made.</summary>
    public int Removals => Volatile.Read(ref _removals);

    /// <summary>When set, a pull waits for it after its script (and until cancelled).</summary>
    public TaskCompletionSource? PullGate { get; set; }

    /// <summary>Completes when a pull started.</summary>
    public TaskCompletionSource PullStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True once a held pull was cancelled.</summary>
    public bool PullCancelled { get; private set; }

    /// <summary>When set, listing containers throws it (a fault of any type, e.g. an unreadable state file).</summary>
    public Exception? ListFault { get; set; }

    /// <summary>When set, every create throws it (the attempt still counts in <see cref="Created"/>).</summary>
    public Exception? CreateFault { get; set; }

    /// <summary>Makes <paramref name="image"/> present, as if pulled before.</summary>
    public void AddImage(string image)
    {
        lock (_images)
        {
            _images.Add(image);
        }
    }

    /// <summary>Takes <paramref name="image"/> away, as <c>docker rmi -f</c> does.</summary>
    public void RemoveImage(string image)
    {
        lock (_images)
        {
            _images.Remove(image);
        }
    }

    /// <summary>The images' <c>ENV</c> as an inspect answers it (none when null).</summary>
    public IReadOnlyList<string>? ImageEnv { get; set; }

    /// <summary>How many image inspects were made (the puller's presence checks and the creates' label checks).</summary>
    public int ImageInspects => Volatile.Read(ref _imageInspects);

    /// <summary>Every create request, in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<ContainerCreateRequest> Requests { get; } = new();

    public Task<ImageDetails?> InspectImageAsync(string image, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _imageInspects);
        lock (_images)
        {
            return Task.FromResult(_images.Contains(image) ? new ImageDetails(image, [image], null, null, [], Env: ImageEnv) : null);
        }
    }

    public async Task PullImageAsync(string image, RegistryAuth? auth, IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        lock (PullAuths)
        {
            PullAuths.Add(auth);
        }

        foreach (var (before, line) in Script)
        {
            before?.Invoke();
            progress?.Report(line);
        }

        PullStarted.TrySetResult();
        if (PullGate is { } gate)
        {
            try
            {
                await gate.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                PullCancelled = true;
                throw;
            }
        }

        lock (_images)
        {
            _images.Add(image);
        }
    }

    public Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(IReadOnlyCollection<string> labelFilters, CancellationToken cancellationToken) =>
        ListFault is { } fault ? Task.FromException<IReadOnlyList<ContainerSummary>>(fault) : Task.FromResult<IReadOnlyList<ContainerSummary>>([.. Listed]);

    public async Task<string> CreateContainerAsync(ContainerCreateRequest request, CancellationToken cancellationToken)
    {
        // As DockerEngine: the image's labels are checked before the create (by inspecting it, unless the request has it).
        Requests.Enqueue(request);
        var created = Interlocked.Increment(ref _created);
        await NodeLabelsGuard.CheckAsync(this, request, cancellationToken);
        return CreateFault is { } fault ? throw fault : $"container-{created}";
    }

    public Task StartContainerAsync(string id, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task PingAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<EngineVersion> GetVersionAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<EngineInfo> GetInfoAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<long> GetImagesDiskUsageAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task StopContainerAsync(string id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _removals);
        return Task.CompletedTask;
    }

    public Task RemoveContainerAsync(string id, bool force, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _removals);
        return Task.CompletedTask;
    }

    public Task<ContainerDetails?> InspectContainerAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public IAsyncEnumerable<LogLine> GetLogsAsync(string id, LogOptions options, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ExecResult> ExecAsync(string id, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ContainerStats> GetStatsAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public async IAsyncEnumerable<EngineEvent> WatchEventsAsync(IReadOnlyCollection<string> labelFilters, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await TestTimeouts.BlockUntilCancelledAsync(cancellationToken);
        yield break;
    }
}
