using GradientNode.Core.Common;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Workflows.Specs;

/// <summary>
/// One job, resolved: <see cref="Needs"/> as written (each an existing job, no cycles), inputs with their sources,
/// outputs with their kinds, <see cref="Env"/> = <c>defaults.env</c> overridden by the job's <c>env</c> (the job
/// wins; defaults' order first, then the job's new names), and effective <see cref="Resources"/>.
/// </summary>
public sealed record WorkflowJobSpec(
    string Id,
    WorkflowActionSpec With,
    EquatableArray<string> Needs,
    EquatableArray<WorkflowJobInputSpec> Inputs,
    EquatableArray<WorkflowJobOutputSpec> Outputs,
    EquatableArray<EnvVarSpec> Env,
    WorkflowJobResources Resources,
    TimeSpan? Timeout)
{
    public WorkflowAction Action => With.Action;

    public string Uses => WorkflowActions.Name(With.Action);
}
