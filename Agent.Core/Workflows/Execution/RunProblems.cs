using GradientNode.Core.Workflows.Specs.Parsing;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>
/// Why a submitted run cannot run (<see cref="WorkflowService.CheckRunAsync"/>): dataset inputs (the workflow's and the
/// jobs' inline ones) that do not resolve, secrets the node lacks, <c>container-registries</c> names with no stored
/// connection, and what the secrets' values make too long for Linux to start a job with (<see cref="TooLong"/>); each line
/// a message, most headed <c>file:line:col:</c>.
/// </summary>
public sealed record RunProblems(IReadOnlyList<string> Inputs, IReadOnlyList<string> Secrets, IReadOnlyList<string> Registries)
{
    /// <summary>
    /// Env entries a secret makes longer than 128 KiB, and jobs whose environment and arguments come to more than 2 MiB
    /// (<see cref="JobSecrets.TooLong"/>). Before (workflows17), the first were counted among the secrets this node "cannot
    /// resolve", and the heading said so.
    /// </summary>
    public IReadOnlyList<string> TooLong { get; init; } = [];

    public bool IsEmpty => Inputs.Count == 0 && Secrets.Count == 0 && Registries.Count == 0 && TooLong.Count == 0;

    /// <summary>
    /// What does not keep the run from starting but is likely a mistake, each line <c>file:line:col: warning: …</c>: a
    /// dataset output whose name is an existing dataset's in another case (<see cref="JobMounts.OutputCaseWarnings"/>).
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Every line: the inputs' first, then the secrets', the registry connections', and what is too long.</summary>
    public IReadOnlyList<string> All => [.. Inputs, .. Secrets, .. Registries, .. TooLong];

    /// <summary>What <see cref="TooLong"/> is, as a heading says it: the limits, so the heading says what is wrong.</summary>
    public static readonly string TooLongKind =
        $"environment or arguments too long for Linux to start a job with (at most {ArgumentLength.MaxBytes} bytes an entry, {ArgumentSpace.MaxBytes} in all)";

    /// <summary>The refusal's heading for workflow <paramref name="name"/>, naming what kind of thing is missing or wrong.</summary>
    public string Heading(string name) => (Inputs.Count, Secrets.Count, Registries.Count, TooLong.Count) switch
    {
        (> 0, 0, 0, 0) => $"workflow '{name}' cannot run with these inputs",
        (0, > 0, 0, 0) => $"workflow '{name}' cannot run: it names {Secrets.Count} secret reference(s) this node cannot resolve (nothing was started)",
        (0, 0, > 0, 0) => $"workflow '{name}' cannot run: it names {Registries.Count} registry connection(s) this node does not have (nothing was started)",
        (0, 0, 0, > 0) => $"workflow '{name}' cannot run: {TooLong.Count} problem(s) of {TooLongKind} (nothing was started)",
        _ => $"workflow '{name}' cannot run: {Kinds()} (nothing was started)",
    };

    private string Kinds()
    {
        var kinds = new List<string>();
        if (Inputs.Count > 0)
        {
            kinds.Add("inputs that do not resolve");
        }

        if (Secrets.Count > 0)
        {
            kinds.Add("secrets this node cannot resolve");
        }

        if (Registries.Count > 0)
        {
            kinds.Add("registry connections this node does not have");
        }

        if (TooLong.Count > 0)
        {
            kinds.Add(TooLongKind);
        }

        return kinds.Count == 1 ? kinds[0] : $"{string.Join(", ", kinds[..^1])} and {kinds[^1]}";
    }
}
