using System.Text.RegularExpressions;
using GradientNode.Core.Specs.Parsing;

namespace GradientNode.Core.Workflows.Specs.Parsing;

/// <summary>
/// An <c>env</c> value, or a container@v1 <c>args</c>/<c>command</c> item, written wholly as a <c>${{ }}</c> expression, as
/// GitHub Actions taught (<c>${{ secrets.TOKEN }}</c>, <c>${{ jobs.a.outputs.y }}</c>). Gradient's workflows have no
/// expressions (GRADIENT-SEMANTICS §9.4), so the text would reach the job as written, and a job given
/// <c>TOKEN=${{ secrets.TOKEN }}</c> fails later and far from the cause (a refused login). Decided here: an error at the
/// value, saying what to write (<c>secret:TOKEN</c> in env; an input alias read as a file). A value that only holds
/// <c>${{</c> among other text is left alone (a template an application reads, a shell line).
/// </summary>
internal static partial class ExpressionLookalike
{
    /// <summary>Why env value <paramref name="value"/> is refused, or null when it is not wholly a <c>${{ }}</c> expression.</summary>
    public static string? EnvProblem(string value) => Problem(value, argument: false);

    /// <summary>Why argument <paramref name="value"/> is refused, or null when it is not wholly a <c>${{ }}</c> expression.</summary>
    public static string? ArgumentProblem(string value) => Problem(value, argument: true);

    private static string? Problem(string value, bool argument)
    {
        ArgumentNullException.ThrowIfNull(value);
        var match = Whole().Match(value);
        if (!match.Success)
        {
            return null;
        }

        var written = $"'{ValueReader.Shorten(value.Trim())}' would reach the job as written: a workflow has no ${{{{ }}}} expressions";
        var inner = match.Groups["inner"].Value;
        if (Secret().Match(inner) is { Success: true } secret)
        {
            var name = secret.Groups["name"].Value;
            return argument
                ? $"{written}; a secret reaches a job only through env, env: {{{name}: secret:{name}}}, read as ${name} in a shell"
                : $"{written}; a secret is written secret:{name}";
        }

        if (ReferenceLookalike.Of(inner) is not { } alias)
        {
            return written;
        }

        var input = alias[(alias.LastIndexOf('.') + 1)..];
        var needs = alias.StartsWith("workflow.", StringComparison.Ordinal) ? string.Empty : $" ({alias[..alias.IndexOf('.', StringComparison.Ordinal)]} in its needs)";
        return $"{written}; a job reads {alias} as a file: take it as an input, inputs: {{{input}: {alias}}}{needs}, and read /inputs/{input}";
    }

    // Spaces or tabs only around and inside the braces, so a value with a line break is not one expression.
    [GeneratedRegex(@"^[ \t]*\$\{\{[ \t]*(?<inner>[^{}\r\n]*?)[ \t]*\}\}[ \t]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Whole();

    [GeneratedRegex(@"^secrets?\.(?<name>[A-Za-z_][A-Za-z0-9_-]*)\z", RegexOptions.CultureInvariant)]
    private static partial Regex Secret();
}
