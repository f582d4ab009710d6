namespace GradientNode.Core.Workflows.Runs;

/// <summary>Questions about phases, in one place.</summary>
public static class WorkflowPhases
{
    public static bool IsFinished(this WorkflowPhase phase) => phase is not (WorkflowPhase.Pending or WorkflowPhase.Running);

    /// <summary>Upper-case, as status and the CLI print it.</summary>
    public static string Text(this WorkflowPhase phase) => phase.ToString().ToUpperInvariant();
}
