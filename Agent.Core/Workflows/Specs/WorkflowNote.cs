namespace GradientNode.Core.Workflows.Specs;

/// <summary>A field that is accepted but not acted on (<c>on</c>, <c>context</c>, <c>defaults.clusterId</c>), where it was written.</summary>
public sealed record WorkflowNote(string Field, int Line, int Column, string Reason)
{
    public string Format(string file) => $"{file}:{Line}:{Column}: {Field}: accepted, not acted on: {Reason}";
}
