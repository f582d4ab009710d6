using System.Text.RegularExpressions;
using GradientNode.Core.Specs.Parsing;

namespace GradientNode.Core.Workflows.Specs.Parsing;

/// <summary>
/// <c>${{ }}</c> expressions, as GitHub Actions taught (<c>${{ secrets.TOKEN }}</c>, <c>${{ jobs.a.outputs.y }}</c>), in an
/// <c>env</c> value, a container@v1 <c>args</c>/<c>command</c> item or a script@v1 <c>script</c>. Gradient's workflows have
/// no expressions (GRADIENT-SEMANTICS §9.4), so the text would reach the job as written: <c>TOKEN=${{ secrets.TOKEN }}</c>
/// fails later and far from the cause (a refused login), and <c>bash -c "echo ${{ inputs.x.value }}"</c> stops at
/// "bad substitution". Decided here: an error at the expression, saying what to write (<c>secret:TOKEN</c> in env, a secret
/// read from env in a shell, an input alias read as a file). A value wholly one expression is refused whatever it holds;
/// inside longer text, only one that names a secret, an input, a job's output or an env variable is (another, such as a
/// template's <c>${{ name }}</c> an application reads, is left alone).
/// </summary>
internal static partial class ExpressionLookalike
{
    /// <summary>Where a value is used, for the words that say what to write instead.</summary>
    public enum Use
    {
        Env,
        Argument,
        Script,
    }

    /// <summary>Why env value <paramref name="value"/> is refused, or null when it is not wholly a <c>${{ }}</c> expression.</summary>
    public static string? EnvProblem(string value) => WholeProblem(value, Use.Env);

    /// <summary>Why argument <paramref name="value"/> is refused, or null when it is not wholly a <c>${{ }}</c> expression.</summary>
    public static string? ArgumentProblem(string value) => WholeProblem(value, Use.Argument);

    /// <summary>
    /// The first <c>${{ }}</c> inside <paramref name="value"/> (not the whole of it) that names a secret, an input, a job's
    /// output or an env variable, and why it is refused; null when there is none.
    /// </summary>
    public static (string Text, string Problem)? Embedded(string value, Use use)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (var found in Expressions.In(value))
        {
            if (Hint(found.Inner, use) is { } hint)
            {
                var shell = use == Use.Env ? string.Empty : " (a shell stops at it: bad substitution)";
                return (found.Text, $"'{ValueReader.Shorten(found.Text)}' in it would reach the job as written{shell}: a workflow has no ${{{{ }}}} expressions; {hint}");
            }
        }

        return null;
    }

    private static string? WholeProblem(string value, Use use)
    {
        ArgumentNullException.ThrowIfNull(value);
        var match = Whole().Match(value);
        if (!match.Success)
        {
            return null;
        }

        var written = $"'{ValueReader.Shorten(value.Trim())}' would reach the job as written: a workflow has no ${{{{ }}}} expressions";
        return Hint(match.Groups["inner"].Value, use, whole: true) is { } hint ? $"{written}; {hint}" : written;
    }

    /// <summary>What to write instead of <c>${{ <paramref name="inner"/> }}</c>, or null when it names nothing a workflow has.</summary>
    private static string? Hint(string inner, Use use, bool whole = false)
    {
        if (Expressions.SecretName(inner) is { } name)
        {
            return use switch
            {
                Use.Env when whole => $"a secret is written secret:{name}",
                Use.Env => $"a secret is a whole env value, secret:{name}; build the longer text in the job, from ${name} in a shell",
                _ => $"a secret reaches a job only through env, env: {{{name}: secret:{name}}}, read as ${name} in a shell",
            };
        }

        if (EnvName().Match(inner) is { Success: true } env)
        {
            return use == Use.Env ? $"env values are not expanded; build the text in the job, from ${env.Groups["name"].Value} in a shell" : $"read it as ${env.Groups["name"].Value} in a shell";
        }

        if (ReferenceLookalike.Of(InputValue().Replace(inner, "$1")) is not { } alias)
        {
            return null;
        }

        var input = alias[(alias.LastIndexOf('.') + 1)..];
        var needs = alias.StartsWith("workflow.", StringComparison.Ordinal) ? string.Empty : $" ({alias[..alias.IndexOf('.', StringComparison.Ordinal)]} in its needs)";
        var shell = use == Use.Env || whole ? string.Empty : $" (in a shell, $(cat /inputs/{input}))";
        return $"a job reads {alias} as a file: take it as an input, inputs: {{{input}: {alias}}}{needs}, and read /inputs/{input}{shell}";
    }

    // Spaces or tabs only around and inside the braces, so a value with a line break is not one expression.
    [GeneratedRegex(@"^[ \t]*\$\{\{[ \t]*(?<inner>[^{}\r\n]*?)[ \t]*\}\}[ \t]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Whole();

    [GeneratedRegex(@"^env\.(?<name>[A-Za-z_][A-Za-z0-9_]*)\z", RegexOptions.CultureInvariant)]
    private static partial Regex EnvName();

    // GitHub's inputs.x and Gradient's seed JSON's {"echo": {"value": …}} make inputs.echo.value a likely spelling.
    [GeneratedRegex(@"^((?:workflow\.)?inputs\.[A-Za-z][A-Za-z0-9_-]{0,63})\.value\z", RegexOptions.CultureInvariant)]
    private static partial Regex InputValue();
}
