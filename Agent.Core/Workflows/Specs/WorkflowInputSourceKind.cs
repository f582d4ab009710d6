namespace GradientNode.Core.Workflows.Specs;

/// <summary>Where a job input comes from.</summary>
public enum WorkflowInputSourceKind
{
    /// <summary><c>workflow.inputs.NAME</c>.</summary>
    WorkflowInput,

    /// <summary><c>JOB.outputs.NAME</c> (JOB is in the job's <c>needs</c>).</summary>
    JobOutput,

    /// <summary>An inline object <c>{type, with, optional}</c>.</summary>
    Inline,
}
