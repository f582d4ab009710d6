using GradientNode.Core.Common;

namespace GradientNode.Core.Workflows.Specs;

/// <summary><c>container@v1</c>: <c>image</c>; <c>command</c> replaces the entrypoint, <c>args</c> the image's command.</summary>
public sealed record ContainerActionSpec(string Image, EquatableArray<string>? Command, EquatableArray<string> Args) : WorkflowActionSpec
{
    public override WorkflowAction Action => WorkflowAction.Container;
}
