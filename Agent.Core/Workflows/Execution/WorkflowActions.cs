namespace GradientNode.Core.Workflows.Execution;

/// <summary>The supported <c>uses</c> values.</summary>
public static class WorkflowActions
{
    public const string Container = "container@v1";
    public const string Script = "script@v1";
    public const string GitCheckout = "git-checkout@v1";
    public const string S3Download = "s3-download@v1";
    public const string CreateModel = "create-model@v1";

    public static IReadOnlyList<string> All { get; } = [Container, Script, GitCheckout, S3Download, CreateModel];

    /// <summary>Whether the action runs in a container (else the node does the work itself).</summary>
    public static bool RunsContainer(string action) => action is Container or Script;
}
