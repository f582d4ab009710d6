using System.Text;
using GradientNode.Core.Common;

namespace GradientNode.Core.Catalog;

/// <summary>
/// The scan's state-directory side: the last good copies and the owners file. None of it may fail a scan: a state
/// directory that cannot be written (full, read-only, a bad mount) leaves the spec change applied, the write retried
/// at every scan, one warning in the log and a line in <see cref="Warnings"/>. Before, the removal of a deleted
/// file's last good copy threw out of the scan after the catalog had taken the change, so the change was never
/// published: the deleted deployment's replicas ran on until a restart, even once the directory was writable again.
/// </summary>
public sealed partial class SpecDirectoryWatcher
{
    /// <summary>Valid texts whose last good copy could not be written yet, by spec file; written at the next scans.</summary>
    private readonly Dictionary<string, SpecFile> _unsavedLastGood = new(StringComparer.Ordinal);

    /// <summary>Spec files that could not be read, with the reason last logged for each.</summary>
    private readonly Dictionary<string, string> _unreadable = new(StringComparer.Ordinal);
    private volatile IReadOnlyList<string> _unreadableWarnings = [];
    /// <summary>The state directory's write problem, logged once per kind and once when gone (1103/1104).</summary>
    private readonly ProblemLog _stateProblems = new(time);

    /// <summary>Deletes a stale last good copy; a seam for a state directory that refuses it.</summary>
    internal Action<string> DeleteStateFile { get; init; } = File.Delete;

    /// <summary>Writes a last good copy; a seam for a state directory that refuses it (a full disk names a new temp file each time).</summary>
    internal Action<string, byte[]> WriteStateFile { get; init; } = static (path, bytes) => AtomicFile.Write(path, bytes, UnixFileMode.UserRead | UnixFileMode.UserWrite);

    /// <summary>Writes what the scan leaves in the state directory; failures are logged once and retried, never thrown.</summary>
    private void SaveState(List<SpecFile> files)
    {
        string? problem = null;
        string? key = null;
        void Failed(string what, string path, Exception ex)
        {
            key ??= $"{what} {path}: {ex.GetType().Name} {ex.HResult}";
            problem ??= Problem(what, path, ex);
        }

        string Problem(string what, string path, Exception ex) => $"the state directory {stateDir} cannot be written ({what} {path}: {GradientNode.Core.Common.StateWriteProblems.Reason(ex)}); spec changes still apply, but a spec file that breaks now would not keep its last good version across a restart; retried at every rescan";

        foreach (var good in _catalog.NewlyGood)
        {
            _unsavedLastGood[good.Path] = good;
        }

        var present = files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var (path, good) in _unsavedLastGood.ToList())
        {
            if (!present.Contains(path))
            {
                _unsavedLastGood.Remove(path);
                continue;
            }

            try
            {
                Directory.CreateDirectory(LastGoodDir);
                WriteStateFile(Path.Combine(LastGoodDir, Path.GetFileName(path)), Encoding.UTF8.GetBytes(good.Text));
                _unsavedLastGood.Remove(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Failed("writing the last good copy of", path, ex);
            }
        }

        RemoveStaleLastGood(present, Failed);
        SaveOwners(Failed);
        ReportStateProblem(problem, key);
    }

    private void RemoveStaleLastGood(HashSet<string> present, Action<string, string, Exception> failed)
    {
        var names = present.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        try
        {
            if (!Directory.Exists(LastGoodDir))
            {
                return;
            }

            foreach (var stale in Directory.EnumerateFiles(LastGoodDir).Where(p => !names.Contains(Path.GetFileName(p))).ToList())
            {
                try
                {
                    DeleteStateFile(stale);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    failed("removing", stale, ex);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            failed("listing", LastGoodDir, ex);
        }
    }

    /// <summary>Which file owns each name, for the next start (<see cref="SpecOwnersFile"/>); written only when it changed.</summary>
    private void SaveOwners(Action<string, string, Exception> failed)
    {
        var owners = _catalog.Owners;
        if (owners.SequenceEqual(_savedOwners, StringComparer.Ordinal))
        {
            return;
        }

        try
        {
            SpecOwnersFile.Save(stateDir, owners);
            _savedOwners = owners;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            failed("writing", Path.Combine(stateDir, SpecOwnersFile.FileName), ex);
        }
    }

    /// <summary>
    /// Logs each new problem once (not at every 2 s retry) and its end once. A problem is known by what failed on which
    /// file and the error's kind (<paramref name="key"/>), not by its text: a full disk's message names the temp file of
    /// each try (<c>No space left on device : '…/.web.yaml.PID.GUID.tmp'</c>), so comparing texts logged it at every rescan.
    /// </summary>
    private void ReportStateProblem(string? problem, string? key)
    {
        if (problem is not null)
        {
            if (_stateProblems.Report(problem, key))
            {
                LogStateUnwritable(problem);
            }
        }
        else if (_stateProblems.Clear())
        {
            LogStateWritable(stateDir);
        }
    }
}
