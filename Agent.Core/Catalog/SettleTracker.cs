namespace GradientNode.Core.Catalog;

/// <summary>
/// Tells when a spec file has settled: its size, modification and birth times unchanged for <paramref name="interval"/>,
/// so that the watcher never acts on a file an editor or <c>cp</c> is still writing in pieces. A file whose modification
/// time is already <paramref name="interval"/> old is settled at once (the kernel stamps files on the system clock,
/// which is <paramref name="time"/> in the daemon); a fresher one settles once this tracker has seen the same stamp for
/// <paramref name="interval"/> on <paramref name="time"/>. An interval of zero settles every file at once.
/// </summary>
internal sealed class SettleTracker(TimeProvider time, TimeSpan interval)
{
    // Since: monotonic. With the wall clock, a step back kept a changed spec unsettled (not applied) for as long.
    private readonly Dictionary<string, (FileStamp Stamp, long Since)> _seen = new(StringComparer.Ordinal);

    /// <summary>Files seen unsettled and not yet settled: the watcher looks again after the interval for them.</summary>
    public int Pending => _seen.Count;

    public TimeSpan Interval => interval;

    /// <summary>True when the file at <paramref name="path"/>, seen now as <paramref name="stamp"/>, has settled.</summary>
    public bool IsSettled(string path, FileStamp stamp)
    {
        var now = time.GetUtcNow();
        if (interval <= TimeSpan.Zero || stamp.Modified <= now - interval)
        {
            _seen.Remove(path);
            return true;
        }

        if (_seen.TryGetValue(path, out var seen) && SameFile(seen.Stamp, stamp))
        {
            if (time.GetElapsedTime(seen.Since) < interval)
            {
                return false;
            }

            _seen.Remove(path);
            return true;
        }

        _seen[path] = (stamp, time.GetTimestamp());
        return false;
    }

    /// <summary>Forgets the files not in <paramref name="present"/> (deleted or renamed away).</summary>
    public void Retain(IReadOnlySet<string> present)
    {
        foreach (var gone in _seen.Keys.Where(p => !present.Contains(p)).ToList())
        {
            _seen.Remove(gone);
        }
    }

    /// <summary>The same file content, as far as a stat can tell: size, modification and birth times (not when it was looked at).</summary>
    public static bool SameFile(FileStamp a, FileStamp b) => a.Modified == b.Modified && a.Created == b.Created && a.Length == b.Length;
}
