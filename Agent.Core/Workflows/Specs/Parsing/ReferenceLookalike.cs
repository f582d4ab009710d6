using System.Text.RegularExpressions;

namespace GradientNode.Core.Workflows.Specs.Parsing;

/// <summary>
/// Text a user writes for a job's output or a workflow input where this node expects something else: <c>job-1.outputs.foo</c>
/// as an inline dataset's <c>with.ref</c>, or the forms other CI systems taught (<c>${{ job-1.outputs.foo }}</c>,
/// <c>needs.job-1.outputs.foo</c>, <c>jobs.job-1.outputs.foo</c>, <c>inputs.x</c>). <see cref="Of"/> gives the alias this
/// node reads (<c>job-1.outputs.foo</c>, <c>workflow.inputs.x</c>), so an error can point at the right syntax.
/// </summary>
internal static partial class ReferenceLookalike
{
    /// <summary>The alias <paramref name="text"/> looks like (<c>JOB.outputs.NAME</c> or <c>workflow.inputs.NAME</c>), or null.</summary>
    public static string? Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = Shape().Match(text);
        if (!match.Success)
        {
            return null;
        }

        return match.Groups["job"].Success
            ? $"{match.Groups["job"].Value}.outputs.{match.Groups["output"].Value}"
            : $"workflow.inputs.{match.Groups["input"].Value}";
    }

    /// <summary>
    /// The hint for an inline dataset's <c>with.ref</c> (or an inputs file's <c>ref</c>) that looks like an alias: a job takes
    /// another job's output, or a workflow input, as <c>inputs: {NAME: ALIAS}</c>, never as a dataset reference.
    /// </summary>
    public static string DatasetRefHint(string text, string alias)
    {
        var input = alias.StartsWith("workflow.", StringComparison.Ordinal);
        var needs = input ? string.Empty : $" ({alias[..alias.IndexOf('.', StringComparison.Ordinal)]} in its needs)";
        return $"'{text}' is not a dataset reference but looks like {(input ? "a workflow input" : "a job's output")}: "
            + $"a job takes one as an alias input, inputs: {{NAME: {alias}}}{needs}; there are no ${{{{ }}}} expressions";
    }

    // Optional ${{ }} around it (spaces only, so the text shown in an error has no line break); a job output as JOB.outputs.NAME, optionally after needs. or jobs.; or (workflow.)inputs.NAME.
    [GeneratedRegex(@"^ *(?:\$\{\{ *)?(?:(?:needs\.|jobs\.)?(?<job>[A-Za-z][A-Za-z0-9_-]{0,63})\.outputs\.(?<output>[A-Za-z][A-Za-z0-9_-]{0,63})|(?:workflow\.)?inputs\.(?<input>[A-Za-z][A-Za-z0-9_-]{0,63}))(?: *\}\})? *\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
