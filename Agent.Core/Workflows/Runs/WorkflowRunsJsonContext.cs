using System.Text.Json.Serialization;

namespace GradientNode.Core.Workflows.Runs;

[JsonSerializable(typeof(RunRecord))]
[JsonSerializable(typeof(WorkflowRunStatus))]
[JsonSerializable(typeof(List<WorkflowRunStatus>))]
[JsonSerializable(typeof(List<WorkflowSummary>))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
public sealed partial class WorkflowRunsJsonContext : JsonSerializerContext;
