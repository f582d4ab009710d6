using GradientNode.Core.Common;

namespace GradientNode.Core.Integrations;

public sealed partial class VolumeMaterializer
{
    /// <summary>
    /// Removes cached content (<c>volumes/cache/&lt;key&gt;</c>) that no deployment's current version plans and no container
    /// mounts (<paramref name="mounted"/>: bind sources of every container, running or not); returns the removed folders.
    /// </summary>
    public IReadOnlyList<string> CollectCache(IReadOnlySet<string> mounted) => CollectCache(mounted, dryRun: false).Folders;

    /// <summary>
    /// <see cref="CollectCache(IReadOnlySet{string})"/>, or with <paramref name="dryRun"/> only the folders it would remove;
    /// each with its apparent size, and the bytes the disk gets back (<see cref="DiskUsage.Freed"/>, measured before removing).
    /// </summary>
    public CacheCollection CollectCache(IReadOnlySet<string> mounted, bool dryRun)
    {
        ArgumentNullException.ThrowIfNull(mounted);
        var planned = _current.Values.SelectMany(v => v).Select(v => v.HostPath).ToHashSet(StringComparer.Ordinal);
        var doomed = new List<string>();
        foreach (var folder in Directory.EnumerateDirectories(_stores.CacheDir).Order(StringComparer.Ordinal))
        {
            var key = Path.GetFileName(folder);
            if (key.StartsWith('.') || planned.Contains(folder) || mounted.Any(m => m == folder || m.StartsWith(folder + "/", StringComparison.Ordinal)))
            {
                continue;
            }

            if (_jobs.TryGetValue(key, out var job) && job.Running is not null)
            {
                continue;
            }

            doomed.Add(folder);
        }

        var sizes = doomed.Select(DiskUsage.ApparentSize).ToList();
        var freed = DiskUsage.Freed(doomed);
        if (!dryRun)
        {
            foreach (var folder in doomed)
            {
                Directory.Delete(folder, recursive: true);
                _jobs.TryRemove(Path.GetFileName(folder), out _);
            }
        }

        return new CacheCollection(doomed, sizes, freed);
    }
}
