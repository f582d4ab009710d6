using GradientNode.Core.Engine;

namespace GradientNode.Tests.Infrastructure;

/// <summary>
/// An in-memory <see cref="IContainerEngine"/> for reconciler unit tests of pulls: no image is present until pulled,
/// a pull replays <see cref="Script"/> (running each step's action first, e.g. to advance a fake clock), and created
/// containers are only counted (none is ever listed). Everything else is not supported.
/// </summary>
internal sealed class ScriptedPullEngine : IContainerEngine
{
    private readonly HashSet<string> _images = new(StringComparer.Ordinal);

    public List<(Action? Before, PullProgress Line)> Script { get; } = [];

    public List<RegistryAuth?> PullAuths { get; } = [];

    public int Created { get; private set; }

    public Task<ImageDetails?> InspectImageAsync(string image, CancellationToken cancellationToken) =>
        Task.FromResult(_images.Contains(image) ? new ImageDetails(image, [image], null, null, []) : null);

    public Task PullImageAsync(string image, RegistryAuth? auth, IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        PullAuths.Add(auth);
        foreach (var (before, line) in Script)
        {
            before?.Invoke();
            progress?.Report(line);
        }

        _images.Add(image);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(IReadOnlyCollection<string> labelFilters, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ContainerSummary>>([]);

    public Task<string> CreateContainerAsync(ContainerCreateRequest request, CancellationToken cancellationToken)
    {
        Created++;
        return Task.FromResult($"container-{Created}");
    }

    public Task StartContainerAsync(string id, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task PingAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<EngineVersion> GetVersionAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<EngineInfo> GetInfoAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task StopContainerAsync(string id, TimeSpan timeout, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task RemoveContainerAsync(string id, bool force, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ContainerDetails?> InspectContainerAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public IAsyncEnumerable<LogLine> GetLogsAsync(string id, LogOptions options, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ExecResult> ExecAsync(string id, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ContainerStats> GetStatsAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public IAsyncEnumerable<EngineEvent> WatchEventsAsync(IReadOnlyCollection<string> labelFilters, CancellationToken cancellationToken) => throw new NotSupportedException();
}
