using System.Collections.Concurrent;
using GradientNode.Core.Engine;

namespace GradientNode.Tests.Autoscaling;

/// <summary>An engine that only answers <see cref="GetStatsAsync"/>, from <see cref="Stats"/> (missing id: not found).</summary>
internal sealed class StatsOnlyEngine : IContainerEngine
{
    public ConcurrentDictionary<string, ContainerStats> Stats { get; } = new(StringComparer.Ordinal);

    private int _statsCalls;

    public int StatsCalls => Volatile.Read(ref _statsCalls);

    public Task<ContainerStats> GetStatsAsync(string id, CancellationToken cancellationToken) =>
        Interlocked.Increment(ref _statsCalls) > 0 && Stats.TryGetValue(id, out var stats) ? Task.FromResult(stats) : throw new ContainerNotFoundException(id);

    public Task PingAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<EngineVersion> GetVersionAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<EngineInfo> GetInfoAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<long> GetImagesDiskUsageAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ImageDetails?> InspectImageAsync(string image, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task PullImageAsync(string image, RegistryAuth? auth, IProgress<PullProgress>? progress, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string> CreateContainerAsync(ContainerCreateRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task StartContainerAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task StopContainerAsync(string id, TimeSpan timeout, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task RemoveContainerAsync(string id, bool force, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ContainerDetails?> InspectContainerAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(IReadOnlyCollection<string> labelFilters, CancellationToken cancellationToken) => throw new NotSupportedException();

    public IAsyncEnumerable<LogLine> GetLogsAsync(string id, LogOptions options, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ExecResult> ExecAsync(string id, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken) => throw new NotSupportedException();

    public IAsyncEnumerable<EngineEvent> WatchEventsAsync(IReadOnlyCollection<string> labelFilters, CancellationToken cancellationToken) => throw new NotSupportedException();
}
