using System.Text.Json;

namespace GradientNode.Core.Datasets;

/// <summary>
/// A dataset a workflow run's output (or a deployment's legacy <c>repositories</c> block) creates
/// (<see cref="DatasetRecord.CreatedBy"/>), and its removal again when the run ended (the deployment was deleted) without
/// committing a version to it: both under the store's one lock, with the writes that could need it.
/// </summary>
public sealed partial class DatasetStore
{
    /// <summary>
    /// <see cref="BeginWrite"/>, creating the dataset first when it is missing, marked as made by <paramref name="creator"/>
    /// (a workflow run): under one lock, so that <see cref="RemoveIfUnused"/> never removes it between the two.
    /// </summary>
    public DatasetWrite BeginWriteCreating(string name, string? message, string creator, string? description = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(creator);
        Check(name);
        var created = false;
        DatasetWrite write;
        lock (_lock)
        {
            if (!File.Exists(DatasetFileOf(name)))
            {
                WriteRecord(new DatasetRecord(name, description, _time.GetUtcNow(), creator));
                created = true;
            }

            write = BeginWriteLocked(name, message);
        }

        if (created)
        {
            LogCreated(name);
        }

        return write;
    }

    /// <summary>
    /// Removes dataset <paramref name="name"/> when <paramref name="creator"/> created it (<see cref="BeginWriteCreating"/>)
    /// and it still has no committed version, no write open or staged (another run's job, an upload, an adopted job's
    /// write after a restart) and no held version; true when it did. A dataset that existed before, or got a version, stays.
    /// </summary>
    public bool RemoveIfUnused(string name, string creator)
    {
        if (DatasetReference.CheckName(name) is not null)
        {
            return false;
        }

        lock (_lock)
        {
            if (!UnusedLocked(name, creator))
            {
                return false;
            }

            Directory.Delete(Path.Combine(Root, name), recursive: true);
        }

        LogRemoved(name);
        return true;
    }

    /// <summary>
    /// <see cref="RemoveIfUnused"/> for every dataset <paramref name="creator"/> created, except those in
    /// <paramref name="keep"/> (a gc pass: the legacy repositories' datasets whose clone never committed and that no
    /// deployment names any more); with <paramref name="dryRun"/> only finds them. Returns their names.
    /// </summary>
    public IReadOnlyList<string> RemoveUnusedCreatedBy(string creator, IReadOnlySet<string> keep, bool dryRun)
    {
        ArgumentException.ThrowIfNullOrEmpty(creator);
        ArgumentNullException.ThrowIfNull(keep);
        var removed = new List<string>();
        lock (_lock)
        {
            foreach (var name in List().Select(d => d.Name).Where(n => !keep.Contains(n) && UnusedLocked(n, creator)))
            {
                if (!dryRun)
                {
                    Directory.Delete(Path.Combine(Root, name), recursive: true);
                }

                removed.Add(name);
            }
        }

        foreach (var name in dryRun ? [] : removed)
        {
            LogRemoved(name);
        }

        return removed;
    }

    private bool UnusedLocked(string name, string creator) =>
        File.Exists(DatasetFileOf(name)) && CreatorOf(name) == creator && Versions(name).Count == 0
        && Leases.HeldOf(name).Count == 0 && !_open.Values.Any(w => w.Dataset == name) && !StagedWriteOf(name);

    /// <summary>Who created the dataset (<see cref="DatasetRecord.CreatedBy"/>); null also when its record cannot be read.</summary>
    private string? CreatorOf(string name)
    {
        try
        {
            return ReadRecord(name).CreatedBy;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException or DatasetException)
        {
            return null;
        }
    }

    /// <summary>Whether a staging folder (a write this daemon has not opened again yet) names dataset <paramref name="name"/>.</summary>
    private bool StagedWriteOf(string name) => Directory.Exists(StagingDir) && Directory.EnumerateDirectories(StagingDir).Any(folder =>
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(folder, WriteFile)), DatasetJsonContext.Default.DatasetRecord)?.Name == name;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return false;
        }
    });
}
