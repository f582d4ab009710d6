namespace GradientNode.Core.Workflows.Specs;

/// <summary>The <c>uses</c> names of the supported actions.</summary>
public static class WorkflowActions
{
    public const string Container = "container@v1";
    public const string Script = "script@v1";
    public const string GitCheckout = "git-checkout@v1";
    public const string S3Download = "s3-download@v1";
    public const string CreateModel = "create-model@v1";

    public static IReadOnlyList<string> All { get; } = [Container, Script, GitCheckout, S3Download, CreateModel];

    public static string Supported => string.Join(", ", All);

    public static WorkflowAction? Parse(string uses) => uses switch
    {
        Container => WorkflowAction.Container,
        Script => WorkflowAction.Script,
        GitCheckout => WorkflowAction.GitCheckout,
        S3Download => WorkflowAction.S3Download,
        CreateModel => WorkflowAction.CreateModel,
        _ => null,
    };

    public static string Name(WorkflowAction action) => All[(int)action];
}
