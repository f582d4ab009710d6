namespace GradientNode.Core.Workflows.Specs;

/// <summary>
/// A workflow input (<c>inputs.NAME</c>) or an inline job input: a dataset with a default <see cref="DatasetRef"/>
/// (<c>with.ref</c> or <c>with.id</c>), a string with a default <see cref="Value"/> (<c>with.value</c>), or an
/// empty volume. With no default and not <see cref="Optional"/>, a run must supply it.
/// </summary>
public sealed record WorkflowInputSpec(string Name, WorkflowValueKind Kind, string? DatasetRef, string? Value, bool Optional)
{
    /// <summary>True when a run must supply a value: no default, not optional, and not a volume.</summary>
    public bool IsRequired => !Optional && Kind != WorkflowValueKind.Volume && DatasetRef is null && Value is null;
}
