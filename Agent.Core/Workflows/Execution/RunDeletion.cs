namespace GradientNode.Core.Workflows.Execution;

/// <summary>What <see cref="WorkflowService.DeleteAsync"/> did.</summary>
public enum RunDeletion
{
    Deleted,

    /// <summary>No such run (never made, or deleted already).</summary>
    NotFound,

    /// <summary>The run has not ended (PENDING, RUNNING, or ending now): cancel it first.</summary>
    NotEnded,
}
