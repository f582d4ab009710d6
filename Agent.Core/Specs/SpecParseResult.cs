using GradientNode.Core.Common;

namespace GradientNode.Core.Specs;

/// <summary>The outcome of parsing one file: a spec, or every problem found (never both).</summary>
public sealed record SpecParseResult(DeploymentSpec? Spec, EquatableArray<SpecError> Errors)
{
    public bool IsValid => Spec is not null && Errors.IsEmpty;
}
