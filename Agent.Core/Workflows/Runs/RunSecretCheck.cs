using GradientNode.Core.Specs;

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
        var fields = new List<(string Path, string Field, string Secret)>();
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
                    fields.Add(($"jobs.{job.Id}.env.{name}", $"jobs.{job.Id}.env.{name}", value[Execution.JobSecrets.Prefix.Length..]));
                }
            }

            fields.AddRange(job.With.Where(w => Execution.JobSecrets.IsReference(w.Value))
                .Select(w => ($"jobs.{job.Id}.with.{w.Key}", $"jobs.{job.Id}.with.{w.Key}", w.Value[Execution.JobSecrets.Prefix.Length..])));
        }

        fields.AddRange(fromDefaults.Select(d => ($"defaults.env.{d.Key}", $"defaults.env.{d.Key} ({(d.Value.Jobs.Count == 1 ? "for job" : "for jobs")} {string.Join(", ", d.Value.Jobs)})", d.Value.Secret)));
        var known = new Dictionary<string, bool>(StringComparer.Ordinal);
        var names = stored?.ToList();
        var problems = new List<(SpecPosition? At, string Line)>();
        foreach (var (path, field, secret) in fields)
        {
            var problem = Execution.JobSecrets.Problem(secret, name => known.TryGetValue(name, out var found) ? found : known[name] = exists(name), damage, names);
            if (problem is not null)
            {
                var where = at?.Invoke(path);
                var line = $"{field}: {problem}";
                problems.Add((where, where is { } p ? p.Error(line).ToString() : line));
            }
        }

        return [.. problems.OrderBy(p => p.At is null).ThenBy(p => p.At?.Line).ThenBy(p => p.At?.Column).Select(p => p.Line)];
    }
}
