namespace GradientNode.Core.Workflows.Specs;

/// <summary>The actions a job's <c>uses</c> may name (see <see cref="WorkflowActions"/> for their spelling).</summary>
public enum WorkflowAction
{
    Container,
    Script,
    GitCheckout,
    S3Download,
    CreateModel,
}
