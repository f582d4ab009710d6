using GradientNode.Core.Common;
using GradientNode.Core.Specs;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Workflows.Specs.Parsing;

/// <summary>One job as read, before needs and aliases are resolved; null parts were reported.</summary>
internal sealed record JobDraft(
    string Id,
    string Field,
    YamlMappingNode Node,
    WorkflowAction? Action,
    WorkflowActionSpec? With,
    IReadOnlyList<(string Job, YamlNode Node, string Field)> Needs,
    IReadOnlyList<JobInputDraft> Inputs,
    IReadOnlyList<(WorkflowJobOutputSpec Output, YamlNode Key)> Outputs,
    EquatableArray<EnvVarSpec>? Env,
    WorkflowResourcesSpec? Resources,
    TimeSpan? Timeout);
