namespace GradientNode.Core.Engine;

/// <summary>
/// The few Docker Engine operations Gradient Node needs, over the Engine API (HTTP+JSON on a unix socket).
/// Failures surface as <see cref="EngineException"/> subclasses.
/// </summary>
public interface IContainerEngine
{
    Task PingAsync(CancellationToken cancellationToken);

    Task<EngineVersion> GetVersionAsync(CancellationToken cancellationToken);

    Task<EngineInfo> GetInfoAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Bytes the engine's images take on disk: <c>GET /system/df</c>'s image total on Engine API 1.52 and newer; on older
    /// engines the sum of each image's size (a layer shared by two images counts twice, so it may overstate).
    /// Can take seconds on a large image store: callers cache it.
    /// </summary>
    Task<long> GetImagesDiskUsageAsync(CancellationToken cancellationToken);

    /// <summary>Returns null when the image is not present locally.</summary>
    Task<ImageDetails?> InspectImageAsync(string image, CancellationToken cancellationToken);

    /// <summary>Pulls an image; <paramref name="auth"/> is sent as X-Registry-Auth, never logged.</summary>
    Task PullImageAsync(string image, RegistryAuth? auth, IProgress<PullProgress>? progress, CancellationToken cancellationToken);

    /// <summary>Creates a container and returns its id.</summary>
    Task<string> CreateContainerAsync(ContainerCreateRequest request, CancellationToken cancellationToken);

    Task StartContainerAsync(string id, CancellationToken cancellationToken);

    /// <summary>SIGTERM, then SIGKILL after <paramref name="timeout"/>. Stopping a stopped container is not an error.</summary>
    Task StopContainerAsync(string id, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// Removes a container (with force, a running one too). Removing a missing one is not an error; one the engine is
    /// already removing for another caller is waited for until it is gone.
    /// </summary>
    Task RemoveContainerAsync(string id, bool force, CancellationToken cancellationToken);

    /// <summary>Returns null when no such container exists.</summary>
    Task<ContainerDetails?> InspectContainerAsync(string id, CancellationToken cancellationToken);

    /// <summary>Lists containers (running and stopped) carrying every given label (<c>key</c> or <c>key=value</c>).</summary>
    Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(IReadOnlyCollection<string> labelFilters, CancellationToken cancellationToken);

    /// <summary>A container's stdout/stderr, demultiplexed into lines.</summary>
    IAsyncEnumerable<LogLine> GetLogsAsync(string id, LogOptions options, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="command"/> in a running container (no TTY) and waits for it up to <paramref name="timeout"/>
    /// (then <see cref="TimeoutException"/>; the process itself cannot be killed through the API).
    /// </summary>
    Task<ExecResult> ExecAsync(string id, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken);

    Task<ContainerStats> GetStatsAsync(string id, CancellationToken cancellationToken);

    /// <summary>Streams container events with the given label filters until cancelled.</summary>
    IAsyncEnumerable<EngineEvent> WatchEventsAsync(IReadOnlyCollection<string> labelFilters, CancellationToken cancellationToken);

    /// <summary>
    /// Streams the engine's network <c>disconnect</c> events (of any network; the container's id is the event's
    /// <c>container</c> attribute) until cancelled. A container's own events carry its labels, a network's do not, so
    /// <c>docker network disconnect</c> of a replica is seen only here. An engine without them streams nothing.
    /// </summary>
    IAsyncEnumerable<EngineEvent> WatchNetworkDisconnectsAsync(CancellationToken cancellationToken) => AsyncEnumerable.Empty<EngineEvent>();
}
