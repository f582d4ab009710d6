using System.Text.Json;
using GradientNode.Core.Common;

namespace GradientNode.Core.Datasets;

/// <summary>
/// A write a previous daemon began for a workflow job, found again from the run's record when its staging folder's
/// <c>write.json</c> is missing or damaged: the run's record knows the dataset and message, so the write is opened again
/// (a new <c>write.json</c> written from the record, warning 5012; the damaged one is not kept: it held nothing the record
/// does not, and a copy inside the staging folder would move into the committed version's folder) and the job's output is committed or aborted as if
/// nothing had happened. Before, such a write was not found: a job that succeeded ended ERROR saying its staging folder
/// was removed (it was there), and the folder stayed until the next disk collection.
/// </summary>
public sealed partial class DatasetStore
{
    /// <summary>
    /// <see cref="FindWrite(string)"/>, or when the staging folder's content is there but its <c>write.json</c> is not
    /// usable, the write opened again for <paramref name="dataset"/> (what its owner recorded); null when the folder is gone.
    /// </summary>
    public DatasetWrite? FindWrite(string id, string dataset, string? message)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataset);
        if (FindWrite(id) is { } found)
        {
            return found;
        }

        var folder = Path.Combine(StagingDir, Path.GetFileName(id));
        var content = Path.Combine(folder, ContentFolder);
        lock (_lock)
        {
            if (_open.TryGetValue(id, out var open))
            {
                return open;
            }

            if (!Directory.Exists(content))
            {
                return null;
            }

            var file = Path.Combine(folder, WriteFile);
            string problem;
            try
            {
                problem = JsonDamage.Problem(File.ReadAllBytes(file), DatasetJsonContext.Default.DatasetRecord, out _) ?? "it could not be read";
            }
            catch (FileNotFoundException)
            {
                problem = "it is missing";
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problem = $"it could not be read: {ex.Message}";
            }

            AtomicFile.WriteAllBytes(file, JsonSerializer.SerializeToUtf8Bytes(new DatasetRecord(dataset, message, _time.GetUtcNow()), DatasetJsonContext.Default.DatasetRecord));
            var write = _open.GetOrAdd(id, new DatasetWrite(dataset, id, content, message));
            LogWriteReopened(file, problem, dataset);
            return write;
        }
    }
}
