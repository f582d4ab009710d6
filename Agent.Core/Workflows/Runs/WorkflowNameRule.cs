using System.Text.RegularExpressions;

namespace GradientNode.Core.Workflows.Runs;

/// <summary>Workflow names and job ids become folder names and container labels: letters, digits, <c>-_.</c>, not starting with a dot or dash.</summary>
public static partial class WorkflowNameRule
{
    public const int MaxLength = 100;

    public static bool IsValid(string name) => name.Length is > 0 and <= MaxLength && Pattern().IsMatch(name);

    /// <summary>Null when valid, else why not (for a message that names the field).</summary>
    public static string? Check(string name) => IsValid(name)
        ? null
        : $"'{name}' is not a valid name: use letters, digits, '-', '_' and '.', starting with a letter or digit, at most {MaxLength} characters";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*\\z")]
    private static partial Regex Pattern();
}
