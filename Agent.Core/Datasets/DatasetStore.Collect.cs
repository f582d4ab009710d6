using GradientNode.Core.Common;

namespace GradientNode.Core.Datasets;

/// <summary>
/// A gc pass over the store, or its dry run: the chosen versions a run does not hold, the objects no remaining version
/// names, and the staging folders of no open write that no container mounts, measured together as the disk sees them
/// (a version's files are hard links to its objects, so removing a version alone frees nothing but its manifest; the
/// objects it alone named free the data), all under the store's lock. An object no manifest names but that keeps a name
/// outside what the pass removes stays: a commit sealing now has linked its file to it and writes its manifest only after
/// (before, a pass in that window removed the pool's name, and later versions with the same content no longer shared it).
/// </summary>
public sealed partial class DatasetStore
{
    /// <summary>
    /// Removes (or, with <paramref name="dryRun"/>, only finds) <paramref name="versions"/> except those a run holds, the
    /// objects no other version names, and the staging folders of no open write whose path <paramref name="stagingMounted"/>
    /// does not hold; returns them with the bytes the disk gets back.
    /// </summary>
    public DatasetCollection Collect(IEnumerable<DatasetVersion> versions, Func<string, bool> stagingMounted, bool dryRun)
    {
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentNullException.ThrowIfNull(stagingMounted);
        lock (_lock)
        {
            var doomed = versions.Where(v => Leases.HoldersOf(v.Id).Count == 0).DistinctBy(v => v.Id).ToList();
            var ids = doomed.Select(v => v.Id).ToHashSet(StringComparer.Ordinal);
            lock (_objectLock)
            {
                var referenced = new HashSet<string>(StringComparer.Ordinal);
                foreach (var version in List().SelectMany(d => Versions(d.Name)).Where(v => !ids.Contains(v.Id)))
                {
                    referenced.UnionWith(ManifestOf(version).Entries.Select(e => e.Sha256));
                }

                var staging = Directory.Exists(StagingDir)
                    ? Directory.EnumerateDirectories(StagingDir).Where(f => !_open.ContainsKey(Path.GetFileName(f)) && !stagingMounted(f)).Order(StringComparer.Ordinal).ToList()
                    : [];
                var going = doomed.Select(v => Path.Combine(Root, v.Dataset, VersionsFolder, v.Version)).Concat(staging).ToList();
                var orphans = _objects.Unreferenced(referenced, going);
                var freed = DiskUsage.Freed([.. going, .. orphans.Select(o => o.FullName)]);
                var stagingSizes = staging.Select(f => (Path.GetFileName(f), DiskUsage.ApparentSize(f))).ToList();
                var collection = new DatasetCollection(doomed, stagingSizes, orphans.Count, orphans.Sum(o => o.Length), freed);
                if (dryRun)
                {
                    return collection;
                }

                foreach (var version in doomed)
                {
                    RemoveVersionLocked(version.Dataset, version.Version);
                }

                foreach (var orphan in orphans)
                {
                    orphan.Delete();
                }

                foreach (var folder in staging)
                {
                    RawTree.Delete(folder);
                    LogStagingRemoved(Path.GetFileName(folder));
                }

                return collection;
            }
        }
    }
}
