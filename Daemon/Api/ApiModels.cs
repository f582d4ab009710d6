using System.Text.Json.Serialization;

namespace GradientNode.Daemon.Api;

// The API's own wire records (status records live in GradientNode.Core.Status), kept together as one family.

/// <summary>Any error answer: <c>error</c> in words, and for a bad spec every problem as <c>file:line:col: message</c>.</summary>
internal sealed record ApiError(string Error, IReadOnlyList<string>? Errors = null);

internal sealed record HealthResponse(string Status, string Version, string Node, bool EngineReachable, string? EngineError);

internal sealed record NodeResponse(
    string Node,
    string Version,
    string SpecsDir,
    string StateDir,
    string RunDir,
    string Socket,
    IReadOnlyList<string> Listen,
    string Domain,
    EngineSummary Engine,
    IReadOnlyList<GradientNode.Core.Gpus.GpuNodeStatus> Gpus,
    string? GpuNote,
    int Deployments,
    NodeDiskUse? Disk = null)
{
    /// <summary>The machine's CPUs and memory.</summary>
    public NodeHost? Host { get; init; }

    /// <summary>GPU preflight: missing NVIDIA runtime or toolkit, persistence mode off, nvidia-smi failures.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>Bytes on the node: all deployment volumes, the model and dataset stores, and each deployment's volumes.</summary>
internal sealed record NodeDiskUse(long Volumes, long Models, long Datasets, IReadOnlyDictionary<string, long> Deployments)
{
    /// <summary>Bytes the engine's images use (<see cref="ImagesDiskUse"/>); absent when the engine did not say (a warning says why).</summary>
    public long? Images { get; init; }
}

/// <summary>
/// <c>GET /v1/node/tls</c> (<see cref="NodeTlsEndpoint"/>): <see cref="NodeCaServesTheRest"/> is null when nothing is known
/// (no https listener, or no proxy has said what it serves), else whether the node's own CA serves the hosts no given
/// certificate names; <see cref="Given"/> the given certificates' DNS names.
/// </summary>
internal sealed record NodeTlsResponse(string RunDir, bool? NodeCaServesTheRest, IReadOnlyList<string> Given);

internal sealed record EngineSummary(string Host, bool Reachable, string? Version, string? ApiVersion, IReadOnlyList<string> Runtimes, bool LiveRestore, string? Error);

/// <summary><c>specHash</c>: the version the daemon now rolls out (what <c>apply --wait</c> follows).</summary>
internal sealed record ApplyResponse(string Name, string Slug, string SpecFile, bool Created, string SpecHash);

/// <summary><c>POST /v1/deployments/{name}/restart</c>: <c>specHash</c> is the new version every replica is replaced by.</summary>
internal sealed record RestartResponse(string Name, string Result, string SpecHash, bool PullsImage);

/// <summary>
/// <c>POST /v1/deployments/{name}/scale|enable|disable</c>: the spec file was edited; <c>specHash</c> is the version the
/// daemon now runs and <c>replicas</c> the count <c>scale --wait</c> waits for (null with autoscaling, 0 when disabled).
/// </summary>
internal sealed record EditedResponse(string Name, string Result, string SpecHash, int? Replicas);

/// <summary>A change was made: <c>result</c> is created, updated or deleted.</summary>
internal sealed record Acknowledged(string Name, string Result);

/// <summary><c>DELETE /v1/workflows/{name}/runs</c>: the ended runs deleted, oldest first, and the runs left because they have not ended.</summary>
internal sealed record RunsDeleted(string Workflow, IReadOnlyList<int> Deleted, IReadOnlyList<RunLeft> NotEnded);

/// <summary>A run <c>DELETE /v1/workflows/{name}/runs</c> left: its number, phase and what to do (cancel it first).</summary>
internal sealed record RunLeft(int Run, string Phase, string Message);

/// <summary>The body of <c>PUT /v1/registries/{name}</c>.</summary>
internal sealed record RegistryRequest(string? Url, string? Username, string? Password, string? Namespace);

/// <summary>The body of <c>POST /v1/workflows/{name}/runs</c>: the workflow file's text, the run's inputs (<c>{"inputs": {...}}</c> as JSON or YAML), the files' names for messages.</summary>
internal sealed record WorkflowRunRequest(string? Spec, string? Inputs, string? File, string? InputsFile = null);

/// <summary>
/// <c>POST /v1/workflows/NAME/check</c>: what a run would be refused for now (<see cref="Problems"/>, the lines of the 400 a
/// run gets) and warned of (<see cref="Warnings"/>); each line headed <c>file:line:col:</c> where it was written.
/// </summary>
internal sealed record WorkflowCheck(IReadOnlyList<string> Problems, IReadOnlyList<string> Warnings);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(NodeResponse))]
[JsonSerializable(typeof(NodeTlsResponse))]
[JsonSerializable(typeof(ApplyResponse))]
[JsonSerializable(typeof(Acknowledged))]
[JsonSerializable(typeof(EditedResponse))]
[JsonSerializable(typeof(RestartResponse))]
[JsonSerializable(typeof(RunsDeleted))]
[JsonSerializable(typeof(RegistryRequest))]
[JsonSerializable(typeof(WorkflowRunRequest))]
[JsonSerializable(typeof(WorkflowCheck))]
[JsonSerializable(typeof(List<GradientNode.Core.Secrets.SecretInfo>))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
