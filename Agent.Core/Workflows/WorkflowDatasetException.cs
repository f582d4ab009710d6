namespace GradientNode.Core.Workflows;

/// <summary>
/// A dataset reference that does not resolve, or a write the store refused; the message names the reference (or the file
/// refused). <see cref="ContentRefused"/> tells a commit refused for what the job wrote from one the node failed at.
/// </summary>
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

    /// <summary>
    /// True when the store refused the content a job wrote (a file name no download could carry: a newline, bytes that
    /// are not UTF-8): the job's doing, so the job ends FAILED; false for the node's own failures (ERROR).
    /// </summary>
    public bool ContentRefused { get; init; }
}
