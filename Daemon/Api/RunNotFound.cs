using System.Globalization;
using GradientNode.Core.Specs.Parsing;

namespace GradientNode.Daemon.Api;

/// <summary>
/// The 404 text for a workflow run that is not there, with the next step: a workflow with no runs is named as such
/// with the close name the caller probably meant (<c>quik</c> for <c>quick</c>); a run number the workflow lacks gets
/// its newest runs. Before, both said <c>workflow 'quik' has no run 2</c>.
/// </summary>
internal static class RunNotFound
{
    /// <summary>At most this many run numbers are listed, newest first.</summary>
    private const int MaxListed = 10;

    /// <summary><c>no workflow 'quik' (it has no runs on this node); did you mean 'quick'?</c>, or where to list them.</summary>
    public static string NoWorkflow(string name, IEnumerable<string> workflows) =>
        KeySuggester.Suggest(name, workflows.Where(w => w != name)) is { } close
            ? $"no workflow '{name}' (it has no runs on this node); did you mean '{close}'?"
            : $"no workflow '{name}' (it has no runs on this node; gradient-node workflows ls lists those that have)";

    /// <param name="runs">The numbers of the workflow's runs on this node (empty: it has none).</param>
    /// <param name="workflows">The names of the workflows with runs on this node.</param>
    public static string Message(string name, string run, IReadOnlyList<int> runs, IEnumerable<string> workflows)
    {
        if (runs.Count == 0)
        {
            return NoWorkflow(name, workflows);
        }

        var newest = runs.OrderDescending().ToList();
        var shown = string.Join(", ", newest.Take(MaxListed).Select(r => r.ToString(CultureInfo.InvariantCulture))) + (newest.Count > MaxListed ? ", …" : string.Empty);
        return $"workflow '{name}' has no run {run} (its runs, newest first: {shown}; gradient-node workflows runs {name})";
    }
}
