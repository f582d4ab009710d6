using System.Text.Json.Serialization;

namespace GradientNode.Core.Workflows.Runs;

/// <summary>The phase of a run or of one of its jobs (GRADIENT-SEMANTICS §9.6), written upper-case in status.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkflowPhase>))]
public enum WorkflowPhase
{
    [JsonStringEnumMemberName("PENDING")]
    Pending,

    [JsonStringEnumMemberName("RUNNING")]
    Running,

    [JsonStringEnumMemberName("SUCCEEDED")]
    Succeeded,

    /// <summary>The job's own doing: a non-zero exit, a timeout, a string output past its cap, a vanished container.</summary>
    [JsonStringEnumMemberName("FAILED")]
    Failed,

    /// <summary>The node's doing: an image that cannot be pulled, a secret or dataset that does not resolve, an engine error.</summary>
    [JsonStringEnumMemberName("ERROR")]
    Error,

    [JsonStringEnumMemberName("CANCELED")]
    Canceled,

    /// <summary>Never started: a job it needs did not succeed, or the run failed first.</summary>
    [JsonStringEnumMemberName("SKIPPED")]
    Skipped,
}
