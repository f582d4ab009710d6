using GradientNode.Core.Common;

namespace GradientNode.Core.Workflows.Specs;

/// <summary>
/// A validated workflow file (GRADIENT-SEMANTICS §9.1), resolved for running: <see cref="Jobs"/> are in
/// topological order (a job comes after every job it needs; independent jobs keep file order), every job input
/// names its source, and every job carries its effective env and resources. Made only by <see cref="WorkflowParser"/>.
/// </summary>
public sealed record WorkflowSpec(
    WorkflowDefaultsSpec Defaults,
    EquatableArray<WorkflowInputSpec> Inputs,
    EquatableArray<WorkflowJobSpec> Jobs,
    TimeSpan? Timeout,
    EquatableArray<WorkflowNote> NotActedOn)
{
    public WorkflowJobSpec? Job(string id) => Jobs.FirstOrDefault(j => j.Id == id);

    public WorkflowInputSpec? Input(string name) => Inputs.FirstOrDefault(i => i.Name == name);
}
