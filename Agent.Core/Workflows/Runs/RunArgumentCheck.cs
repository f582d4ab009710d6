using GradientNode.Core.Engine;
using GradientNode.Core.Specs;
using GradientNode.Core.Workflows.Specs.Parsing;

namespace GradientNode.Core.Workflows.Runs;

/// <summary>
/// A container job whose environment and arguments together take more than Linux starts a process with
/// (<see cref="ArgumentSpace"/>, <c>ARG_MAX</c>), counted with its secrets' values: when the run is submitted (the parser
/// counted the literal values already) and again when the job starts (a secret set again since, and the image's own
/// <c>ENV</c>, entrypoint and command when the image was on the node). Names and sizes only, never a value. Before
/// (workflows17), such a job ended FAILED with <c>exec …: argument list too long</c>.
/// </summary>
public static class RunArgumentCheck
{
    /// <summary>One line per job too large, headed <c>file:line:col:</c> (its <c>uses</c>) where <paramref name="at"/> knows it.</summary>
    public static IReadOnlyList<string> TooLarge(RunPlan plan, Func<string, string?> secret, Func<string, SpecPosition?>? at)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(secret);
        var problems = new List<(SpecPosition? At, string Line)>();
        foreach (var job in plan.Jobs.Where(j => j.RunsContainer))
        {
            var env = job.Env.ToDictionary(e => e.Key, e => Execution.JobSecrets.IsReference(e.Value) ? secret(e.Value[Execution.JobSecrets.Prefix.Length..]) : e.Value, StringComparer.Ordinal);
            if (Problem(job, env, image: null) is { } problem)
            {
                var where = at?.Invoke($"jobs.{job.Id}.uses");
                problems.Add((where, where is { } p ? p.Error(problem).ToString() : problem));
            }
        }

        return [.. problems.OrderBy(p => p.At is null).ThenBy(p => p.At?.Line).ThenBy(p => p.At?.Column).Select(p => p.Line)];
    }

    /// <summary>
    /// Why <paramref name="job"/> cannot start with <paramref name="env"/> (its variables' values, secrets resolved; null
    /// when not known) and <paramref name="image"/>'s <c>ENV</c>, entrypoint and command where the job does not set them,
    /// <c>jobs.JOB: …</c>; null when it can.
    /// </summary>
    public static string? Problem(JobPlan job, IReadOnlyDictionary<string, string?> env, ImageDetails? image)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(env);
        var variables = new List<(string Name, string? Value, string? Source)>(env.Select(e => (e.Key, e.Value, job.Env.TryGetValue(e.Key, out var written) && Execution.JobSecrets.IsReference(written)
            ? $"secret '{written[Execution.JobSecrets.Prefix.Length..]}'"
            : null)));
        foreach (var line in image?.Env ?? [])
        {
            var name = line.Split('=', 2)[0];
            if (!env.ContainsKey(name))
            {
                variables.Add((name, line.Length > name.Length ? line[(name.Length + 1)..] : string.Empty, "the image's ENV"));
            }
        }

        // What the container runs: script@v1 runs bash on its script file; container@v1 its command (else the image's
        // entrypoint) and its args (else, when it set no command, the image's command), as the engine does.
        IReadOnlyList<string>? command = job.Action == Specs.WorkflowActions.Script ? ["bash", Execution.JobScriptFile.ScriptPath] : job.Command ?? image?.Entrypoint;
        IReadOnlyList<string>? args = job.Action == Specs.WorkflowActions.Script ? null
            : job.Args is { Count: > 0 } || job.Command is not null ? job.Args : image?.Cmd;
        return ArgumentSpace.Problem(ArgumentSpace.Fields(variables, command, args)) is { } problem ? $"jobs.{job.Id}: {problem}" : null;
    }
}
