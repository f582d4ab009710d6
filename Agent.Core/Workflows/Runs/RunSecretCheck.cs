using System.Text;
using GradientNode.Core.Specs;
using GradientNode.Core.Workflows.Specs.Parsing;

namespace GradientNode.Core.Workflows.Runs;

/// <summary>
/// Every <c>secret:NAME</c> a run's plan names that the node cannot resolve (not stored, or an ephemeral one), checked when
/// the run is submitted so that it is refused at once rather than failing when the job that needs it starts. One line per
/// field where a reference was written: a <c>defaults.env</c> variable once, naming the jobs that take it. Each line says
/// what the job would say when it starts (<see cref="Execution.JobSecrets.Resolve"/>), headed <c>file:line:col:</c> where
/// <paramref name="at"/> knows the field's position. Names only: never a value.
/// </summary>
public static class RunSecretCheck
{
    /// <param name="stored">The stored secrets' names, for a "did you mean" (none when null).</param>
    public static IReadOnlyList<string> Missing(RunPlan plan, Func<string, bool> exists, Func<string, SpecPosition?>? at, Func<string, string?>? damage = null, IEnumerable<string>? stored = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(exists);
        var fields = EnvFields(plan).Select(f => (f.Path, f.Field, f.Secret)).ToList();
        foreach (var job in plan.Jobs)
        {
            fields.AddRange(job.With.Where(w => Execution.JobSecrets.IsReference(w.Value))
                .Select(w => ($"jobs.{job.Id}.with.{w.Key}", $"jobs.{job.Id}.with.{w.Key}", w.Value[Execution.JobSecrets.Prefix.Length..])));
        }

        var known = new Dictionary<string, bool>(StringComparer.Ordinal);
        var names = stored?.ToList();
        return Lines(fields, at, secret => Execution.JobSecrets.Problem(secret, name => known.TryGetValue(name, out var found) ? found : known[name] = exists(name), damage, names));
    }

    /// <summary>
    /// Every env variable of the plan whose secret, as <paramref name="value"/> gives it now, makes an entry <c>NAME=value</c>
    /// longer than Linux starts a process with (<see cref="TooLong"/>): the run is refused at submit, naming the variable and
    /// the secret, never the value. A secret that does not resolve is <see cref="Missing"/>'s.
    /// </summary>
    public static IReadOnlyList<string> Oversized(RunPlan plan, Func<string, string?> value, Func<string, SpecPosition?>? at)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(value);
        var fields = EnvFields(plan).ToList();
        var problems = new List<(SpecPosition? At, string Line)>();
        foreach (var (path, field, variable, secret) in fields)
        {
            if (value(secret) is { } resolved && TooLong(variable, secret, resolved) is { } problem)
            {
                var where = at?.Invoke(path);
                var line = $"{field}: {problem}";
                problems.Add((where, where is { } p ? p.Error(line).ToString() : line));
            }
        }

        return Ordered(problems);
    }

    /// <summary>
    /// Why env variable <paramref name="variable"/>, given secret <paramref name="secret"/>'s <paramref name="value"/>, cannot be
    /// an environment entry (over <see cref="ArgumentLength.MaxBytes"/> bytes, its NUL included), or null. Names, never the value.
    /// </summary>
    public static string? TooLong(string variable, string secret, string value)
    {
        ArgumentNullException.ThrowIfNull(variable);
        ArgumentNullException.ThrowIfNull(value);
        var bytes = Encoding.UTF8.GetByteCount(variable) + 1 + Encoding.UTF8.GetByteCount(value) + 1;
        return bytes > ArgumentLength.MaxBytes
            ? $"secret '{secret}' makes {Shown(variable)}=… {bytes} bytes with its NUL; Linux starts no process with an environment entry over {ArgumentLength.MaxBytes} (MAX_ARG_STRLEN): store a shorter secret, or give the job the text another way (a dataset it reads)"
            : null;
    }

    /// <summary>The env variables that take a secret: a <c>defaults.env</c> one once, naming the jobs that take it.</summary>
    private static IEnumerable<(string Path, string Field, string Variable, string Secret)> EnvFields(RunPlan plan)
    {
        var fromDefaults = new Dictionary<string, (string Secret, List<string> Jobs)>(StringComparer.Ordinal);
        foreach (var job in plan.Jobs)
        {
            foreach (var (name, value) in job.Env.Where(e => Execution.JobSecrets.IsReference(e.Value)))
            {
                if (job.EnvFromDefaults.Contains(name))
                {
                    if (!fromDefaults.TryGetValue(name, out var users))
                    {
                        fromDefaults[name] = users = (value[Execution.JobSecrets.Prefix.Length..], []);
                    }

                    users.Jobs.Add(job.Id);
                }
                else
                {
                    yield return ($"jobs.{job.Id}.env.{name}", $"jobs.{job.Id}.env.{Shown(name)}", name, value[Execution.JobSecrets.Prefix.Length..]);
                }
            }
        }

        foreach (var (name, (secret, jobs)) in fromDefaults)
        {
            yield return ($"defaults.env.{name}", $"defaults.env.{Shown(name)} ({(jobs.Count == 1 ? "for job" : "for jobs")} {string.Join(", ", jobs)})", name, secret);
        }
    }

    private static List<string> Lines(IEnumerable<(string Path, string Field, string Secret)> fields, Func<string, SpecPosition?>? at, Func<string, string?> problemOf)
    {
        var problems = new List<(SpecPosition? At, string Line)>();
        foreach (var (path, field, secret) in fields)
        {
            if (problemOf(secret) is { } problem)
            {
                var where = at?.Invoke(path);
                var line = $"{field}: {problem}";
                problems.Add((where, where is { } p ? p.Error(line).ToString() : line));
            }
        }

        return Ordered(problems);
    }

    /// <summary>A variable's name as an error shows it: a name of 120 KiB, which only it can make too long, shortened.</summary>
    private static string Shown(string name) => GradientNode.Core.Specs.Parsing.ValueReader.Shorten(name);

    private static List<string> Ordered(List<(SpecPosition? At, string Line)> problems) =>
        [.. problems.OrderBy(p => p.At is null).ThenBy(p => p.At?.Line).ThenBy(p => p.At?.Column).Select(p => p.Line)];
}
