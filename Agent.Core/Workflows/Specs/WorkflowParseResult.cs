using GradientNode.Core.Common;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Workflows.Specs;

/// <summary>The outcome of parsing one workflow file: a spec, or every problem found (never both).</summary>
public sealed record WorkflowParseResult(WorkflowSpec? Spec, EquatableArray<SpecError> Errors)
{
    public bool IsValid => Spec is not null && Errors.IsEmpty;
}
