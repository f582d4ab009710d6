using GradientNode.Core.Specs;

namespace GradientNode.Core.Workflows.Runs;

/// <summary>
/// Every <c>container-registries</c> name a run's plan lists that is not a stored registry connection, checked when the
/// run is submitted so that it is refused at once rather than ending its job ERROR when the job starts
/// (<see cref="Execution.JobImages"/> still checks then, for a connection removed after submit). One line per name and
/// field where it was written: a job's own list, or <c>defaults.resources.container-registries</c> once, naming the jobs
/// that take it. Each line is headed <c>file:line:col:</c> where <paramref name="at"/> knows the item's position
/// (<c>jobs.ID.resources.container-registries[i]</c>). Names only: a connection's password is never read here.
/// </summary>
public static class RunRegistryCheck
{
    public const string JobField = "resources.container-registries";

    public const string DefaultsField = "defaults.resources.container-registries";

    /// <param name="damage">Why a name's stored file is damaged (<see cref="Registries.RegistryStore.DamageOf"/>), said instead of "not stored".</param>
    /// <param name="stored">The stored connections' names, for a "did you mean" (none when null).</param>
    public static IReadOnlyList<string> Missing(RunPlan plan, Func<string, bool> exists, Func<string, SpecPosition?>? at, Func<string, string?>? damage = null, IEnumerable<string>? stored = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(exists);
        var known = new Dictionary<string, bool>(StringComparer.Ordinal);
        var names = stored?.ToList();
        bool Exists(string name) => known.TryGetValue(name, out var found) ? found : known[name] = exists(name);

        var problems = new List<(SpecPosition? At, string Line)>();
        var fromDefaults = new Dictionary<int, (string Name, List<string> Jobs, HashSet<string?> Images)>();
        foreach (var job in plan.Jobs)
        {
            for (var i = 0; i < job.Registries.Count; i++)
            {
                var name = job.Registries[i];
                if (Exists(name))
                {
                    continue;
                }

                // A job's own list replaces the defaults' (workflow-spec.md); with no position of its own, the item is the defaults'.
                var own = at?.Invoke($"jobs.{job.Id}.{JobField}[{i}]");
                if (own is null && at?.Invoke($"{DefaultsField}[{i}]") is not null)
                {
                    if (!fromDefaults.TryGetValue(i, out var users))
                    {
                        fromDefaults[i] = users = (name, [], []);
                    }

                    users.Jobs.Add(job.Id);
                    users.Images.Add(job.Image);
                    continue;
                }

                problems.Add(Line(own, $"jobs.{job.Id}.{JobField}", name, damage, names, job.Image));
            }
        }

        problems.AddRange(fromDefaults.Select(d => Line(
            at?.Invoke($"{DefaultsField}[{d.Key}]"),
            $"{DefaultsField} ({(d.Value.Jobs.Count == 1 ? "for job" : "for jobs")} {string.Join(", ", d.Value.Jobs)})",
            d.Value.Name,
            damage,
            names,
            d.Value.Images.Count == 1 ? d.Value.Images.Single() : null)));
        return [.. problems.OrderBy(p => p.At is null).ThenBy(p => p.At?.Line).ThenBy(p => p.At?.Column).Select(p => p.Line)];
    }

    /// <summary>What is wrong with <paramref name="name"/>, the words a job that starts without it ends ERROR with.</summary>
    /// <remarks>
    /// A close stored name (a typo, another case) is named first, as a deployment's warning does. The add line's
    /// <c>--url</c> is the registry host of <paramref name="image"/> (<see cref="Registries.RegistryAddHint"/>), the job's
    /// image that needs it (one image for the jobs the defaults' name serves; <c>URL</c> when they differ).
    /// </remarks>
    public static string Problem(string name, IEnumerable<string>? stored = null, string? image = null) =>
        stored is not null && GradientNode.Core.Specs.Parsing.KeySuggester.Suggest(name, stored.Where(n => n != name).Order(StringComparer.Ordinal)) is { } close
            ? $"'{name}' is not a stored registry connection; did you mean '{close}'? (or add it: {Registries.RegistryAddHint.For(name, image)})"
            : $"'{name}' is not a stored registry connection (add it: {Registries.RegistryAddHint.For(name, image)})";

    private static (SpecPosition? At, string Line) Line(SpecPosition? where, string field, string name, Func<string, string?>? damage, IEnumerable<string>? stored, string? image)
    {
        var line = damage?.Invoke(name) is { } damaged ? $"{field}: {Registries.RegistryStore.DamagedProblem(name, damaged)}" : $"{field}: {Problem(name, stored, image)}";
        return (where, where is { } p ? p.Error(line).ToString() : line);
    }
}
