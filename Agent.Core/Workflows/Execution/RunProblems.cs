namespace GradientNode.Core.Workflows.Execution;

/// <summary>
/// Why a submitted run cannot run (<see cref="WorkflowService.CheckRunAsync"/>): dataset inputs (the workflow's and the
/// jobs' inline ones) that do not resolve, and secrets the node lacks; each line a message, most headed <c>file:line:col:</c>.
/// </summary>
public sealed record RunProblems(IReadOnlyList<string> Inputs, IReadOnlyList<string> Secrets)
{
    public bool IsEmpty => Inputs.Count == 0 && Secrets.Count == 0;

    /// <summary>Every line: the inputs' first, then the secrets'.</summary>
    public IReadOnlyList<string> All => [.. Inputs, .. Secrets];

    /// <summary>The refusal's heading for workflow <paramref name="name"/>, naming what kind of thing is missing.</summary>
    public string Heading(string name) => (Inputs.Count, Secrets.Count) switch
    {
        (> 0, 0) => $"workflow '{name}' cannot run with these inputs",
        (0, > 0) => $"workflow '{name}' cannot run: it names {Secrets.Count} secret reference(s) this node cannot resolve (nothing was started)",
        _ => $"workflow '{name}' cannot run: inputs that do not resolve and secrets this node cannot resolve (nothing was started)",
    };
}
