using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;
using GradientNode.Core.Specs.Parsing;
using GradientNode.Core.Workflows.Runs;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>
/// Resolves <c>secret:NAME</c> values (env and action parameters) from the node's secret store when a job starts,
/// as deployments do. An unknown secret is an ERROR naming the field and the secret, never a value; so is one whose
/// stored file is damaged (<paramref name="damage"/>: <see cref="SecretStore.DamageOf"/>), saying so. <paramref name="names"/>
/// lists the stored names, so that an unknown one is told the close name it probably meant.
/// </summary>
public sealed class JobSecrets(Func<string, string?> lookup, Func<string, string?>? damage = null, Func<IEnumerable<string>>? names = null)
{
    public const string Prefix = "secret:";

    private const string EphemeralPrefix = "ephemeral:";

    public static bool IsReference(string value) => value.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The value, with a <c>secret:</c> reference replaced by the secret; <paramref name="field"/> names it in errors.</summary>
    public string Resolve(string field, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!IsReference(value))
        {
            return value;
        }

        var name = value[Prefix.Length..];
        string? found = null;
        return Problem(name, n => (found = lookup(n)) is not null, damage, names?.Invoke()) is { } problem
            ? throw new JobFailedException(WorkflowPhase.Error, $"{field}: {problem}")
            : found!;
    }

    /// <summary>
    /// Why the secret <paramref name="name"/> (what follows <c>secret:</c>) cannot be resolved on this node: an ephemeral one
    /// (Gradient's platform only) or one <paramref name="exists"/> says is not stored; null when it can. The words a job
    /// ends ERROR with, and a run is refused with at submit (<see cref="Runs.RunSecretCheck"/>). When one of
    /// <paramref name="stored"/> is close (a typo, another case), it is named first: <c>did you mean 'hfToken'?</c>, as a
    /// deployment's warning says; before, only the way to add the misspelt one was offered.
    /// </summary>
    public static string? Problem(string name, Func<string, bool> exists, Func<string, string?>? damage = null, IEnumerable<string>? stored = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(exists);
        if (name.StartsWith(EphemeralPrefix, StringComparison.Ordinal))
        {
            return $"ephemeral secrets ('{name}') exist only on Gradient's platform; store it on the node (gradient-node secrets set NAME) and use secret:NAME";
        }

        return exists(name) ? null
            : damage?.Invoke(name) is { } damaged ? SecretStore.DamagedProblem(name, damaged)
            : stored is not null && KeySuggester.Suggest(name, stored.Where(n => n != name).Order(StringComparer.Ordinal)) is { } close
                ? $"secret '{name}' does not exist on this node; did you mean '{close}'? (or add it: gradient-node secrets set {name})"
            : $"secret '{name}' does not exist on this node (add it: gradient-node secrets set {name})";
    }

    /// <summary>Every reference in <paramref name="plan"/> this node cannot resolve now (<see cref="Runs.RunSecretCheck"/>).</summary>
    public IReadOnlyList<string> Missing(RunPlan plan, Func<string, SpecPosition?>? at) =>
        RunSecretCheck.Missing(plan, name => lookup(name) is not null, at, damage, names?.Invoke());

    /// <summary>
    /// What the plan's secrets, as stored now, make too long for Linux to start its jobs with: an env entry over 128 KiB
    /// (<see cref="RunSecretCheck.Oversized"/>), then a job's environment and arguments over 2 MiB together
    /// (<see cref="RunArgumentCheck.TooLarge"/>). Before (workflows17), the first were listed as secrets this node "cannot
    /// resolve", and the second were not checked.
    /// </summary>
    public IReadOnlyList<string> TooLong(RunPlan plan, Func<string, SpecPosition?>? at) =>
        [.. RunSecretCheck.Oversized(plan, lookup, at), .. RunArgumentCheck.TooLarge(plan, lookup, at)];

    /// <summary>
    /// The mask for <paramref name="job"/>'s log: the values its secret references have now (a job adopted after a
    /// restart, a log read while it runs); a missing secret is skipped, not an error.
    /// </summary>
    public LogMask Mask(JobPlan job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return MaskOf(job.Env.Values);
    }

    /// <summary>
    /// The mask for what a run shows through the API (<see cref="RunStatusMask"/>): the values of every secret its jobs
    /// reference now, in env and in action parameters. A job hands its string outputs on unmasked; only what is shown hides them.
    /// </summary>
    public LogMask Mask(RunPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return MaskOf(plan.Jobs.SelectMany(job => job.Env.Values.Concat(job.With.Values)));
    }

    /// <summary>
    /// The mask for <paramref name="job"/>'s log, kept or served: the values of the secrets it and every job it needs (and
    /// theirs, the jobs that can hand it something) reference, in env or action parameters, as they are now, with
    /// <paramref name="started"/>, the values its own env references had when it started (those references are not looked
    /// up again; with none given, they are looked up now). Not only its own: a job can print a value a job it needs handed it
    /// (a string output, a dataset, a volume), as the run's status hides it in that output. Before, a job's log hid only its
    /// own references' values, so <c>cat /inputs/s</c> of a string output that held a secret showed it in the clear while
    /// <c>workflows get</c> showed <c>***</c>.
    /// </summary>
    public LogMask Mask(RunPlan plan, JobPlan job, IReadOnlyList<string> started)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(started);
        var resolved = started.Count > 0 ? job.Env.Values.ToHashSet(StringComparer.Ordinal) : [];
        var references = Upstream(plan, job).Prepend(job)
            .SelectMany(j => j.Env.Values.Concat(j.With.Values))
            .Where(value => !resolved.Contains(value));
        return new LogMask([.. Lookup(references), .. started]);
    }

    /// <summary>The jobs <paramref name="job"/> needs, and those they need, each once.</summary>
    private static List<JobPlan> Upstream(RunPlan plan, JobPlan job)
    {
        var byId = plan.Jobs.ToDictionary(j => j.Id, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(job.Needs);
        List<JobPlan> found = [];
        while (queue.TryDequeue(out var id))
        {
            if (seen.Add(id) && byId.TryGetValue(id, out var need))
            {
                found.Add(need);
                foreach (var next in need.Needs)
                {
                    queue.Enqueue(next);
                }
            }
        }

        return found;
    }

    /// <summary>The mask of the node secrets <paramref name="values"/> reference (ephemeral ones and missing ones skipped), each looked up once.</summary>
    private LogMask MaskOf(IEnumerable<string> values)
    {
        var found = Lookup(values);
        return found.Count == 0 ? LogMask.None : new LogMask(found);
    }

    /// <summary>The values of the node secrets <paramref name="values"/> reference (ephemeral ones and missing ones skipped), each looked up once.</summary>
    private List<string> Lookup(IEnumerable<string> values) =>
        [.. values
            .Where(IsReference)
            .Select(value => value[Prefix.Length..])
            .Where(name => !name.StartsWith(EphemeralPrefix, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Select(lookup)
            .OfType<string>()];

    /// <summary>
    /// The job's environment as <c>KEY=value</c> lines, secrets resolved. A secret that makes its entry longer than Linux
    /// starts a process with (<see cref="RunSecretCheck.TooLong"/>; one set after the run was submitted) ends the job ERROR
    /// naming the variable and the secret; before, the engine failed the job with <c>argument list too long</c>.
    /// </summary>
    public IReadOnlyList<string> Environment(JobPlan job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Env.Select(kv => Entry(job, kv.Key, kv.Value)).ToList();
    }

    private string Entry(JobPlan job, string name, string value)
    {
        var field = EnvField(job, name);
        var resolved = Resolve(field, value);
        return IsReference(value) && RunSecretCheck.TooLong(name, value[Prefix.Length..], resolved) is { } problem
            ? throw new JobFailedException(WorkflowPhase.Error, $"{field}: {problem}")
            : $"{name}={resolved}";
    }

    /// <summary>Where the variable was written: the job's own <c>env</c>, or <c>defaults.env</c> (which the job did not override).</summary>
    private static string EnvField(JobPlan job, string name) =>
        job.EnvFromDefaults.Contains(name) ? $"defaults.env.{Shown(name)} (for job {job.Id})" : $"jobs.{job.Id}.env.{Shown(name)}";

    private static string Shown(string name) => GradientNode.Core.Specs.Parsing.ValueReader.Shorten(name);

    /// <summary>
    /// The values in <paramref name="environment"/> (what <see cref="Environment"/> gave for <paramref name="job"/>) that
    /// came from secrets: what an error about the job must never show. Reads the lines; does not look the secrets up again.
    /// </summary>
    public static IReadOnlyList<string> Values(JobPlan job, IReadOnlyList<string> environment)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(environment);
        return [.. environment
            .Select(line => line.Split('=', 2))
            .Where(kv => kv.Length == 2 && job.Env.TryGetValue(kv[0], out var value) && IsReference(value))
            .Select(kv => kv[1])];
    }
}
