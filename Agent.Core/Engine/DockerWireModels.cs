using System.Text.Json;
using System.Text.Json.Serialization;

namespace GradientNode.Core.Engine;

// The Docker Engine API's own JSON shapes (only the fields we read or send), one family of wire DTOs.
// They never leave the engine layer: DockerWireMapper maps them to the public EngineModels records.
// Property names match the API (case-insensitive on read); snake_case ones are named explicitly.

internal sealed record WireError(string? Message);

internal sealed record WireVersion(string? Version, string? ApiVersion, string? MinApiVersion, string? Os, string? Arch, string? KernelVersion);

internal sealed record WireInfo(
    string? Name,
    string? ServerVersion,
    Dictionary<string, JsonElement>? Runtimes,
    string? DefaultRuntime,
    string? CgroupDriver,
    string? CgroupVersion,
    bool LiveRestoreEnabled);

internal sealed record WireImageConfig(List<string>? Entrypoint, List<string>? Cmd, Dictionary<string, JsonElement>? ExposedPorts, bool Tty);

internal sealed record WireImageInspect(string? Id, List<string>? RepoTags, WireImageConfig? Config);

internal sealed record WireProgressDetail(long? Current, long? Total);

internal sealed record WireErrorDetail(string? Message);

internal sealed record WirePullLine(string? Status, string? Id, WireProgressDetail? ProgressDetail, string? Error, WireErrorDetail? ErrorDetail);

internal sealed record WireRegistryAuth(
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("password")] string Password,
    [property: JsonPropertyName("serveraddress")] string ServerAddress);

/// <summary>Serialises as <c>{}</c>: the value type of <c>ExposedPorts</c>.</summary>
internal sealed class WireEmpty;

internal sealed record WireDeviceRequest
{
    public required string Driver { get; init; }

    public int? Count { get; init; }

    [JsonPropertyName("DeviceIDs")]
    public List<string>? DeviceIds { get; init; }

    public required List<List<string>> Capabilities { get; init; }
}

/// <summary>One entry of <c>HostConfig.Mounts</c>: typed fields, so a <c>:</c> or <c>,</c> in a path is just a character.</summary>
internal sealed record WireMount
{
    public required string Type { get; init; }

    public required string Source { get; init; }

    public required string Target { get; init; }

    public bool ReadOnly { get; init; }
}

internal sealed record WireLogConfig
{
    public required string Type { get; init; }

    public Dictionary<string, string>? Config { get; init; }
}

internal sealed record WireHostConfig
{
    public string? Runtime { get; init; }

    public List<WireDeviceRequest>? DeviceRequests { get; init; }

    public List<WireMount>? Mounts { get; init; }

    public long? PidsLimit { get; init; }

    public WireLogConfig? LogConfig { get; init; }

    public string? NetworkMode { get; init; }

    public long? Memory { get; init; }

    public long? NanoCpus { get; init; }
}

internal sealed record WireContainerCreate
{
    public required string Image { get; init; }

    public List<string>? Entrypoint { get; init; }

    public List<string>? Cmd { get; init; }

    public List<string>? Env { get; init; }

    public Dictionary<string, string>? Labels { get; init; }

    public Dictionary<string, WireEmpty>? ExposedPorts { get; init; }

    public required WireHostConfig HostConfig { get; init; }
}

internal sealed record WireCreateResponse(string Id, List<string>? Warnings);

internal sealed record WireContainerConfig(string? Image, Dictionary<string, string>? Labels, bool Tty);

internal sealed record WireContainerState(
    string? Status,
    bool Running,
    bool Restarting,
    [property: JsonPropertyName("OOMKilled")] bool OomKilled,
    int ExitCode,
    string? Error,
    string? StartedAt,
    string? FinishedAt);

internal sealed record WireEndpoint([property: JsonPropertyName("IPAddress")] string? IpAddress);

internal sealed record WireNetworkSettings(
    [property: JsonPropertyName("IPAddress")] string? IpAddress,
    Dictionary<string, WireEndpoint>? Networks);

internal sealed record WireContainerInspect(
    string Id,
    string? Name,
    string? Created,
    string? Image,
    int RestartCount,
    WireContainerConfig? Config,
    WireContainerState? State,
    WireNetworkSettings? NetworkSettings);

internal sealed record WireContainerSummary(
    string Id,
    List<string>? Names,
    string? Image,
    Dictionary<string, string>? Labels,
    string? State,
    string? Status,
    long Created);

internal sealed record WireCpuUsage(
    [property: JsonPropertyName("total_usage")] ulong TotalUsage,
    [property: JsonPropertyName("percpu_usage")] List<ulong>? PercpuUsage);

internal sealed record WireCpuStats(
    [property: JsonPropertyName("cpu_usage")] WireCpuUsage? CpuUsage,
    [property: JsonPropertyName("system_cpu_usage")] ulong SystemCpuUsage,
    [property: JsonPropertyName("online_cpus")] int OnlineCpus);

internal sealed record WireMemoryStats(
    [property: JsonPropertyName("usage")] ulong Usage,
    [property: JsonPropertyName("limit")] ulong Limit,
    [property: JsonPropertyName("stats")] Dictionary<string, ulong>? Stats);

internal sealed record WireStats(
    [property: JsonPropertyName("read")] string? Read,
    [property: JsonPropertyName("cpu_stats")] WireCpuStats? CpuStats,
    [property: JsonPropertyName("precpu_stats")] WireCpuStats? PrecpuStats,
    [property: JsonPropertyName("memory_stats")] WireMemoryStats? MemoryStats);

internal sealed record WireEventActor([property: JsonPropertyName("ID")] string? Id, Dictionary<string, string>? Attributes);

internal sealed record WireEvent(
    string? Type,
    string? Action,
    WireEventActor? Actor,
    [property: JsonPropertyName("time")] long Time,
    [property: JsonPropertyName("timeNano")] long TimeNano);

internal sealed record WireExecCreate(List<string> Cmd, bool AttachStdout, bool AttachStderr, bool Tty);

internal sealed record WireExecStart(bool Detach, bool Tty);

internal sealed record WireIdResponse(string Id);

internal sealed record WireExecInspect(bool Running, int? ExitCode);
