namespace GradientNode.Core.Workflows.Specs;

/// <summary>What an input or output holds: a dataset version (directory), a string (a file), or a run-scoped volume (directory).</summary>
public enum WorkflowValueKind
{
    Dataset,
    String,
    Volume,
}
