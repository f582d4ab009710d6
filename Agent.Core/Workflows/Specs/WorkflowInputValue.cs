using GradientNode.Core.Specs;

namespace GradientNode.Core.Workflows.Specs;

/// <summary>
/// A workflow input's value for one run: given in the run's inputs, else the file's <c>with</c> default.
/// <see cref="At"/> is where its dataset <c>ref</c>/<c>id</c> or string <c>value</c> was written (the inputs file, or the
/// workflow file's <c>with</c>), so that a later problem with it (a dataset tag that does not exist) names the place.
/// </summary>
public sealed record WorkflowInputValue(string Name, WorkflowValueKind Kind, string? DatasetRef, string? Value, SpecPosition? At = null);
