namespace GradientNode.Core.Workflows;

/// <summary>A dataset reference that does not resolve, or a write the store refused; the message names the reference.</summary>
public sealed class WorkflowDatasetException : Exception
{
    public WorkflowDatasetException()
    {
    }

    public WorkflowDatasetException(string message)
        : base(message)
    {
    }

    public WorkflowDatasetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
