using GradientNode.Core.Specs;

namespace GradientNode.Core.Workflows.Specs;

/// <summary>
/// <c>git-checkout@v1</c>: clone <see cref="Url"/> at <see cref="Ref"/> (default branch when null) into
/// <see cref="Path"/>: <c>with.path</c>, else the job's only volume or dataset output's mount path. The
/// repository's content lands directly there (§9.2 gotcha). <see cref="Password"/> is always a secret reference.
/// </summary>
public sealed record GitCheckoutActionSpec(string Url, string? Ref, SpecValue? Username, SecretRef? Password, string Path) : WorkflowActionSpec
{
    public override WorkflowAction Action => WorkflowAction.GitCheckout;
}
