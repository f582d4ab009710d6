namespace GradientNode.Core.Workflows.Specs;

/// <summary>A workflow input's value for one run: given in the run's inputs, else the file's <c>with</c> default.</summary>
public sealed record WorkflowInputValue(string Name, WorkflowValueKind Kind, string? DatasetRef, string? Value);
