using GradientNode.Core.Common;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Workflows.Specs;

/// <summary>A run's input values (every declared input that has one), or every problem found (never both).</summary>
public sealed record WorkflowInputsResult(EquatableArray<WorkflowInputValue>? Values, EquatableArray<SpecError> Errors)
{
    public bool IsValid => Values is not null && Errors.IsEmpty;
}
