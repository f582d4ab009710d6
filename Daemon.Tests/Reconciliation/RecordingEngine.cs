using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using GradientNode.Core.Engine;

namespace GradientNode.Tests.Reconciliation;

/// <summary>
/// An in-memory <see cref="IContainerEngine"/> for unit tests of the reconciler's rooms: records what was created,
/// started, stopped and removed; lists and inspects the <see cref="Containers"/> given; every log has <see cref="LogText"/>.
/// </summary>
internal sealed class RecordingEngine : IContainerEngine
{
    private int _imagesDiskUsageCalls;

    public ConcurrentQueue<ContainerCreateRequest> Created { get; } = new();

    public ConcurrentQueue<string> Started { get; } = new();

    public ConcurrentQueue<string> Stopped { get; } = new();

    public ConcurrentQueue<string> Removed { get; } = new();

    public List<ContainerDetails> Containers { get; } = [];

    /// <summary>When set, starting a container throws it.</summary>
    public EngineException? StartFault { get; set; }

    /// <summary>When set, a start (by container id) it answers with an exception for throws that (after it is recorded in <see cref="Started"/>).</summary>
    public Func<string, EngineException?>? StartFaultOf { get; set; }

    public List<string> LogText { get; } = [];

    /// <summary>When set, each container's log (by id) comes from it instead of <see cref="LogText"/>.</summary>
    public Func<string, IAsyncEnumerable<LogLine>>? LogOf { get; set; }

    /// <summary>When set, a create it answers with an exception for throws that (after it is recorded in <see cref="Created"/>).</summary>
    public Func<ContainerCreateRequest, EngineException?>? CreateFault { get; set; }

    /// <summary>When set, every create waits for it (tests look at how many wait at once).</summary>
    public TaskCompletionSource? CreateHold { get; set; }

    /// <summary>The most creates in flight at once.</summary>
    public int MostCreatesAtOnce => Volatile.Read(ref _mostCreates);

    private int _creates;
    private int _mostCreates;

    public async Task<string> CreateContainerAsync(ContainerCreateRequest request, CancellationToken cancellationToken)
    {
        Created.Enqueue(request);
        if (CreateFault?.Invoke(request) is { } fault)
        {
            throw fault;
        }

        var now = Interlocked.Increment(ref _creates);
        int seen;
        while ((seen = Volatile.Read(ref _mostCreates)) < now && Interlocked.CompareExchange(ref _mostCreates, now, seen) != seen)
        {
        }

        if (CreateHold is { } hold)
        {
            await hold.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Decrement(ref _creates);
        return $"id-{request.Name}";
    }

    public Task StartContainerAsync(string id, CancellationToken cancellationToken)
    {
        Started.Enqueue(id);
        return (StartFault ?? StartFaultOf?.Invoke(id)) is { } fault ? Task.FromException(fault) : Task.CompletedTask;
    }

    /// <summary>Runs at each stop with its timeout (e.g. to advance a fake clock by it: a container that ignores SIGTERM).</summary>
    public Action<TimeSpan>? OnStop { get; set; }

    /// <summary>When set, every stop waits for it, as the stop of an app that ignores SIGTERM waits out its grace.</summary>
    public TaskCompletionSource? StopHold { get; set; }

    /// <summary>How many stops wait on <see cref="StopHold"/> now.</summary>
    public int StopsUnderWay => Volatile.Read(ref _stops);

    private int _stops;

    public async Task StopContainerAsync(string id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Stopped.Enqueue(id);
        OnStop?.Invoke(timeout);
        if (StopHold is { } hold)
        {
            Interlocked.Increment(ref _stops);
            try
            {
                await hold.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _stops);
            }
        }
    }

    public Task RemoveContainerAsync(string id, bool force, CancellationToken cancellationToken)
    {
        Removed.Enqueue(id);
        return Task.CompletedTask;
    }

    /// <summary>How many times the containers were listed.</summary>
    public int Lists => Volatile.Read(ref _lists);

    private int _lists;

    /// <summary>When set, every listing is marked in <see cref="ListEntered"/>, then waits for it (or its token).</summary>
    public TaskCompletionSource? ListHold { get; set; }

    /// <summary>Set once a listing waits on <see cref="ListHold"/>.</summary>
    public TaskCompletionSource ListEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(IReadOnlyCollection<string> labelFilters, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lists);
        if (ListHold is { } hold)
        {
            ListEntered.TrySetResult();
            await hold.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return ListNow();
    }

    private IReadOnlyList<ContainerSummary> ListNow()
    {
        lock (Containers)
        {
            return [.. Containers.Select(c => new ContainerSummary(c.Id, c.Name, c.Image, c.Labels, c.State.Status, c.State.Status, c.Created))];
        }
    }

    /// <summary>How many times a container was inspected.</summary>
    public int Inspections => Volatile.Read(ref _inspections);

    private int _inspections;

    public Task<ContainerDetails?> InspectContainerAsync(string id, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _inspections);
        return Task.FromResult(Containers.FirstOrDefault(c => c.Id == id));
    }

    /// <summary>When set, every log read answers these lines as dockerd would: the last <c>Tail</c> of them, then those since <c>Since</c>.</summary>
    public List<LogLine>? TimedLog { get; set; }

    /// <summary>The options of every log read, in order.</summary>
    public ConcurrentQueue<LogOptions> LogReads { get; } = new();

    public async IAsyncEnumerable<LogLine> GetLogsAsync(string id, LogOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        LogReads.Enqueue(options);
        if (LogOf is { } logOf)
        {
            await foreach (var line in logOf(id).WithCancellation(cancellationToken))
            {
                yield return line;
            }

            yield break;
        }

        if (TimedLog is { } timed)
        {
            var tail = options.Tail is { } n ? timed.Skip(Math.Max(0, timed.Count - n)) : timed;
            foreach (var line in tail.Where(l => options.Since is not { } since || l.Timestamp >= since))
            {
                yield return line;
            }

            yield break;
        }

        foreach (var text in LogText)
        {
            yield return new LogLine(LogStream.Stdout, text, null);
        }
    }

    /// <summary>Images present (inspecting another is not supported).</summary>
    public HashSet<string> Images { get; } = new(StringComparer.Ordinal);

    public Task<ImageDetails?> InspectImageAsync(string image, CancellationToken cancellationToken) =>
        Images.Contains(image) ? Task.FromResult<ImageDetails?>(new ImageDetails(image, [image], null, null, [])) : throw new NotSupportedException();

    public Task PullImageAsync(string image, RegistryAuth? auth, IProgress<PullProgress>? progress, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task PingAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<EngineVersion> GetVersionAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<EngineInfo> GetInfoAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <summary>What <see cref="GetImagesDiskUsageAsync"/> answers; <see cref="ImagesDiskUsageCalls"/> counts the questions.</summary>
    public Func<CancellationToken, Task<long>> ImagesDiskUsage { get; set; } = _ => throw new NotSupportedException();

    public int ImagesDiskUsageCalls => Volatile.Read(ref _imagesDiskUsageCalls);

    public Task<long> GetImagesDiskUsageAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _imagesDiskUsageCalls);
        return ImagesDiskUsage(cancellationToken);
    }

    public Task<ExecResult> ExecAsync(string id, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ContainerStats> GetStatsAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public IAsyncEnumerable<EngineEvent> WatchEventsAsync(IReadOnlyCollection<string> labelFilters, CancellationToken cancellationToken) => throw new NotSupportedException();
}
