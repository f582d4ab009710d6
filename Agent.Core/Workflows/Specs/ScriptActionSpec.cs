namespace GradientNode.Core.Workflows.Specs;

/// <summary><c>script@v1</c>: <c>script</c> run with the image's <c>bash</c>.</summary>
public sealed record ScriptActionSpec(string Image, string Script) : WorkflowActionSpec
{
    public override WorkflowAction Action => WorkflowAction.Script;
}
