using GradientNode.Core.Common;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Workflows.Specs;

/// <summary>A run's input values (every declared input that has one), or every problem found (never both).</summary>
public sealed record WorkflowInputsResult(EquatableArray<WorkflowInputValue>? Values, EquatableArray<SpecError> Errors)
{
    public bool IsValid => Values is not null && Errors.IsEmpty;

    /// <summary>Where each value with a written reference or text came from, by input name (empty when invalid).</summary>
    public IReadOnlyDictionary<string, SpecPosition> Positions =>
        (Values ?? EquatableArray<WorkflowInputValue>.Empty).Where(v => v.At is not null).ToDictionary(v => v.Name, v => v.At!, StringComparer.Ordinal);
}
