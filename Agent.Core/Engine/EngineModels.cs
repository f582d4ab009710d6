namespace GradientNode.Core.Engine;

// The wire-facing records of IContainerEngine, kept together as one family of DTOs.

public sealed record EngineVersion(string Version, string ApiVersion, string MinApiVersion, string Os, string Arch, string KernelVersion);

public sealed record EngineInfo(string Name, string ServerVersion, IReadOnlyList<string> Runtimes, string DefaultRuntime, string CgroupDriver, string CgroupVersion, bool LiveRestoreEnabled);

/// <param name="Labels">The image's own labels (<c>LABEL</c>), which the engine copies onto every container made from it.</param>
/// <param name="Env">The image's own environment (<c>ENV</c>, <c>NAME=value</c>), which a container starts with unless its own env sets the name.</param>
public sealed record ImageDetails(string Id, IReadOnlyList<string> RepoTags, IReadOnlyList<string>? Entrypoint, IReadOnlyList<string>? Cmd, IReadOnlyList<int> ExposedPorts, IReadOnlyDictionary<string, string>? Labels = null, IReadOnlyList<string>? Env = null);

/// <summary>Credentials for one pull. ToString never prints the password.</summary>
public sealed record RegistryAuth(string Username, string Password, string ServerAddress)
{
    public override string ToString() => $"RegistryAuth {{ Username = {Username}, ServerAddress = {ServerAddress} }}";
}

public sealed record PullProgress(string Status, string? Id, long? Current, long? Total);

/// <summary>A GPU request: <c>DeviceRequests</c> with the given device ids (or <see cref="Count"/> = -1 for all).</summary>
public sealed record GpuRequest(IReadOnlyList<string> DeviceIds, int Count = 0);

/// <summary>A bind mount, sent as a typed <c>HostConfig.Mounts</c> entry (never as a <c>src:dst:ro</c> string).</summary>
public sealed record BindMount(string Source, string Target, bool ReadOnly);

/// <summary>The <c>json-file</c> log driver with rotation: <paramref name="MaxSize"/> per file (Docker syntax, e.g. <c>10m</c>), at most <paramref name="MaxFiles"/> files.</summary>
public sealed record LogRotation(string MaxSize, int MaxFiles);

public sealed record ContainerCreateRequest
{
    public required string Name { get; init; }

    public required string Image { get; init; }

    /// <summary>Overrides the image ENTRYPOINT when set (the spec's <c>command</c>); Cmd is then cleared.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    public IReadOnlyList<string> Env { get; init; } = [];

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<int> ExposedPorts { get; init; } = [];

    /// <summary>e.g. <c>nvidia</c>; null for the engine default.</summary>
    public string? Runtime { get; init; }

    public GpuRequest? Gpus { get; init; }

    public IReadOnlyList<BindMount> Binds { get; init; } = [];

    /// <summary>null for the default bridge.</summary>
    public string? NetworkMode { get; init; }

    public long? MemoryBytes { get; init; }

    public long? NanoCpus { get; init; }

    /// <summary><c>HostConfig.PidsLimit</c>: the most processes and threads the container may hold; null for the engine default (none).</summary>
    public long? PidsLimit { get; init; }

    /// <summary>json-file log rotation; null for the engine's default log driver and options.</summary>
    public LogRotation? Log { get; init; }

    /// <summary><c>HostConfig.CgroupParent</c>; set by <see cref="DockerEngine"/> from its options (callers leave it null).</summary>
    public string? CgroupParent { get; init; }

    /// <summary>
    /// The image as the caller inspected it just before, in the same pass (the puller's presence check): the create's
    /// label check (<see cref="NodeLabelsGuard"/>) reads it instead of inspecting the image again; null to inspect.
    /// Never sent to the engine.
    /// </summary>
    public ImageDetails? InspectedImage { get; init; }
}

public sealed record ContainerSummary(
    string Id,
    string Name,
    string Image,
    IReadOnlyDictionary<string, string> Labels,
    string State,
    string Status,
    DateTimeOffset Created)
{
    /// <summary>The container's bind mounts (source on the host, target inside, read-only or not).</summary>
    public IReadOnlyList<BindMount> Mounts { get; init; } = [];

    /// <summary>The names of the networks the container is attached to.</summary>
    public IReadOnlyList<string> Networks { get; init; } = [];
}

public sealed record ContainerState(
    string Status,
    bool Running,
    bool Restarting,
    bool OomKilled,
    int ExitCode,
    string? Error,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt);

public sealed record ContainerDetails(
    string Id,
    string Name,
    string Image,
    IReadOnlyDictionary<string, string> Labels,
    ContainerState State,
    /// <summary>The container's IP on its first network (a replica's: the node's replica network), or null when not running.</summary>
    string? IpAddress,
    DateTimeOffset Created,
    int RestartCount,
    /// <summary>The ports the container exposes: its image's <c>EXPOSE</c> and those it was created with, in order.</summary>
    IReadOnlyList<int>? ExposedPorts = null)
{
    /// <summary>The capabilities the container was created without (<c>HostConfig.CapDrop</c>), as the engine wrote them.</summary>
    public IReadOnlyList<string> CapDrop { get; init; } = [];

    /// <summary>The host pid of the container's first process while it runs (<c>State.Pid</c>), else 0.</summary>
    public int Pid { get; init; }

    /// <summary>The container's memory limit in bytes (<c>HostConfig.Memory</c>), 0 for none: named when the kernel kills it at that limit.</summary>
    public long MemoryLimit { get; init; }
}

public enum LogStream
{
    Stdout,
    Stderr,
}

public sealed record LogOptions(int? Tail = null, bool Follow = false, bool Timestamps = false, DateTimeOffset? Since = null);

public sealed record LogLine(LogStream Stream, string Text, DateTimeOffset? Timestamp);

/// <summary>One stats sample; CPU percent is of the whole machine (100 = one core fully busy × cores).</summary>
public sealed record ContainerStats(
    DateTimeOffset Read,
    double CpuPercent,
    long MemoryUsageBytes,
    long MemoryLimitBytes,
    int OnlineCpus);

public sealed record EngineEvent(string Type, string Action, string ActorId, IReadOnlyDictionary<string, string> Attributes, DateTimeOffset Time);

/// <summary>The exit code and the combined stdout/stderr of one exec.</summary>
public sealed record ExecResult(int ExitCode, string Output);
