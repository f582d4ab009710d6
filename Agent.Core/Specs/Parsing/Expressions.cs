using System.Text.RegularExpressions;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// <c>${{ … }}</c> expressions, as GitHub Actions writes them, in a spec's text. Neither Gradient's deployments nor its
/// workflows have an expression language (GRADIENT-SEMANTICS §9.4: substitution is a whole-value <c>secret:NAME</c> only),
/// so such text reaches the container as written. The readers use these to refuse the ones that name something a spec
/// defines (a secret, an input, a job's output), where the text can only be a mistake.
/// </summary>
internal static partial class Expressions
{
    /// <summary>One <c>${{ … }}</c> in a value: where it starts, its text, and what is inside (trimmed).</summary>
    public readonly record struct Found(int Index, string Text, string Inner);

    /// <summary>Every <c>${{ … }}</c> in <paramref name="text"/> on one line, in order.</summary>
    public static IEnumerable<Found> In(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (Match match in Any().Matches(text))
        {
            yield return new Found(match.Index, match.Value, match.Groups["inner"].Value);
        }
    }

    /// <summary>The secret <paramref name="inner"/> names (<c>secrets.NAME</c>, or <c>secret.NAME</c>), or null.</summary>
    public static string? SecretName(string inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return Secret().Match(inner) is { Success: true } secret ? secret.Groups["name"].Value : null;
    }

    // Spaces or tabs only inside the braces, and no line break, so the text shown in an error is one line.
    [GeneratedRegex(@"\$\{\{[ \t]*(?<inner>[^{}\r\n]*?)[ \t]*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Any();

    [GeneratedRegex(@"^secrets?\.(?<name>[A-Za-z_][A-Za-z0-9_-]*)\z", RegexOptions.CultureInvariant)]
    private static partial Regex Secret();
}
