using System.Text.Json;
using GradientNode.Core.Common;

namespace GradientNode.Core.Datasets;

/// <summary>
/// A damaged file of the store (a truncated or overwritten <c>dataset.json</c> or <c>tags.json</c>): kept aside as
/// <c>FILE.damaged-&lt;UTC time&gt;</c>, never overwritten silently, and named in a warning. A damaged record is replaced
/// by a new one with no description, so the dataset's versions (the data) stay listed, resolvable and mountable; before,
/// one damaged record failed <c>datasets list</c> for every dataset with a bare JSON error, and every reference to the
/// dataset. A damaged tags file leaves the dataset without tags until they are set again; before, it was read as "no
/// tags" silently, and the next <c>datasets tag</c> overwrote it.
/// </summary>
public sealed partial class DatasetStore
{
    private DatasetRecord RepairRecord(string name, string problem)
    {
        var path = DatasetFileOf(name);
        lock (_lock)
        {
            try
            {
                if (JsonSerializer.Deserialize(File.ReadAllBytes(path), DatasetJsonContext.Default.DatasetRecord) is { } repaired && repaired.Name == name)
                {
                    return repaired; // another caller repaired it while this one waited for the lock
                }
            }
            catch (JsonException)
            {
                // still damaged: repaired below
            }

            string? keptAs = null;
            try
            {
                keptAs = KeepAside(path);
                var record = new DatasetRecord(name, null, _time.GetUtcNow());
                WriteRecord(record);
                LogRecordRepaired(name, path, problem, keptAs);
                return record;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                if (keptAs is not null && !File.Exists(path))
                {
                    File.Move(keptAs, path); // back in place (a rename needs no space), so the dataset stays listed and the next read tries again
                }

                throw new DatasetException(
                    DatasetError.Damaged,
                    $"dataset '{name}': its record {path} is damaged ({problem}) and could not be replaced: {ex.Message}; its versions are untouched (restore the file, or free space, and try again)");
            }
        }
    }

    private void KeepDamagedTags(string name, string path, string problem)
    {
        try
        {
            LogTagsKeptAside(name, path, problem, KeepAside(path));
        }
        catch (FileNotFoundException)
        {
            // another reader kept it aside first
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // left where it is: every read reports it again until it can be moved
            LogTagsKeptAside(name, path, problem, $"(not moved: {ex.Message})");
        }
    }

    private string KeepAside(string path) => StateFileDamage.KeepAside(path, _time);

    /// <summary>
    /// A version whose <c>manifest.json</c> is damaged is left out of every listing and reference (its files cannot be
    /// checked without it); before, it vanished without a word. Logged once per folder (per daemon run); the folder is left
    /// as it is, for the operator to restore the file or delete the folder.
    /// </summary>
    private void DamagedManifest(string versionFolder, string problem)
    {
        if (_damagedManifests.TryAdd(versionFolder, 0))
        {
            LogManifestDamaged(Path.Combine(versionFolder, ManifestFile), problem);
        }
    }
}
