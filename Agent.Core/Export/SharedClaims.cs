using GradientNode.Core.Workflows.Specs;
using k8s.Models;

namespace GradientNode.Core.Export;

/// <summary>
/// Finds the workflow's volume claims that two jobs may mount at the same time (neither needs the other, directly or
/// through others). The claims are ReadWriteOnce, the access mode every storage class offers: on one node that is
/// fine, but pods on different nodes cannot attach one disk at once, so the later pod waits (a Multi-Attach event)
/// until the first ends. The node runs such jobs side by side; a cluster may serialize them, which the export says.
/// </summary>
internal static class SharedClaims
{
    public static void Warn(ExportContext context, WorkflowSpec spec, JobNames names, IReadOnlyList<ArgoTemplate> templates, IReadOnlyList<V1PersistentVolumeClaim> claims)
    {
        var claimNames = claims.Select(c => c.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        var users = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var job in spec.Jobs)
        {
            var template = templates.FirstOrDefault(t => t.Name == names.Of(job.Id));
            var mounts = template?.Container?.VolumeMounts ?? template?.Script?.VolumeMounts ?? [];
            foreach (var claim in mounts.Select(m => m.Name).Where(claimNames.Contains).Distinct(StringComparer.Ordinal))
            {
                (users.TryGetValue(claim, out var list) ? list : users[claim] = []).Add(job.Id);
            }
        }

        var ancestors = Ancestors(spec);
        foreach (var (claim, jobs) in users.OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            var pair = jobs.SelectMany((a, i) => jobs.Skip(i + 1).Select(b => (a, b)))
                .FirstOrDefault(p => !ancestors[p.a].Contains(p.b) && !ancestors[p.b].Contains(p.a));
            if (pair != default)
            {
                context.Note(
                    $"jobs.{pair.a}, jobs.{pair.b}",
                    $"both mount volume claim '{claim}' and may run at the same time; the claim is ReadWriteOnce, so on a cluster of several nodes the second pod waits until the first ends (Multi-Attach). To run them side by side, give the claim a storage class with ReadWriteMany (--storage-class, then accessModes: [ReadWriteMany]) or keep the workflow on one node (--node-selector)");
            }
        }
    }

    /// <summary>Every job's ancestors: the jobs it needs, directly or through others (jobs come in topological order).</summary>
    private static Dictionary<string, HashSet<string>> Ancestors(WorkflowSpec spec)
    {
        var ancestors = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var job in spec.Jobs)
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var need in job.Needs)
            {
                set.Add(need);
                set.UnionWith(ancestors.GetValueOrDefault(need) ?? []);
            }

            ancestors[job.Id] = set;
        }

        return ancestors;
    }
}
