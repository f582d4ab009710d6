using System.Globalization;
using GradientNode.Core.Specs.Parsing;
using GradientNode.Core.Workflows.Runs;

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

    /// <summary>
    /// The 404 text when the run asked for (<paramref name="run"/>), or with no run number every run of the workflow, is
    /// only there with a damaged record: names the file and what is wrong. Null when that is not why.
    /// </summary>
    public static string? Damaged(string name, int? run, IEnumerable<DamagedRunRecord> damaged)
    {
        var hit = damaged.Where(d => d.Workflow == name && (run is null || d.Run == run)).ToList();
        if (hit.Count == 0)
        {
            return null;
        }

        const string Next = "such a run is left out of every listing and not continued (restore the file, or delete the run's folder)";
        if (run is not null)
        {
            return $"workflow '{name}' run {run.Value.ToString(CultureInfo.InvariantCulture)}: its record {hit[0].Path} is damaged ({hit[0].Problem}); {Next}";
        }

        var each = string.Join("; ", hit.Select(d => $"run {d.Run.ToString(CultureInfo.InvariantCulture)}: {d.Path} ({d.Problem})"));
        return $"workflow '{name}' has no run with a readable record; damaged: {each}; {Next}";
    }

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
