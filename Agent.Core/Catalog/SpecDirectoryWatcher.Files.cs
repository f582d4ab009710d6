using System.Text;
using GradientNode.Core.Common;

namespace GradientNode.Core.Catalog;

/// <summary>The scan's file side: reading the spec files (bounded, skipping unchanged ones on a quick scan), the last good copies and the owners file.</summary>
public sealed partial class SpecDirectoryWatcher
{
    /// <summary>
    /// Where a spec for <paramref name="slug"/> is written: the file that already defines it, else <c>&lt;slug&gt;.yaml</c>, or
    /// <c>&lt;slug&gt;-2.yaml</c>, <c>-3</c>, … when that name is taken by a file of another deployment (one renamed in place,
    /// <c>name: web2</c> in <c>web.yaml</c>) or by any file the catalog has not read yet. Before, a new <c>web</c> was written
    /// over such a <c>web.yaml</c>, and the deployment it held was removed without a word.
    /// </summary>
    public string TargetFileFor(string slug)
    {
        if (Entries.TryGetValue(slug, out var entry))
        {
            return entry.File;
        }

        var target = Path.Combine(SpecsDir, slug + ".yaml");
        for (var n = 2; Taken(target); n++)
        {
            target = Path.Combine(SpecsDir, $"{slug}-{n}.yaml");
        }

        return target;
    }

    /// <summary>
    /// <c>&lt;slug&gt;.yaml</c> when <see cref="TargetFileFor"/> chose another file for <paramref name="slug"/> because that one is
    /// taken (by another deployment's file); null when <paramref name="target"/> is that name or the slug's own file.
    /// </summary>
    public string? HeldElsewhere(string slug, string target)
    {
        var own = Path.Combine(SpecsDir, slug + ".yaml");
        return target != own && !Entries.ContainsKey(slug) && Taken(own) ? own : null;
    }

    /// <summary>A path something already holds: a file, a folder or a link (a dangling one too), whoever's it is.</summary>
    private static bool Taken(string path) => File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;

    /// <summary>
    /// Writes <paramref name="text"/> to <paramref name="path"/> atomically, then rescans. A file that cannot be written
    /// (permissions, a full disk) or is a symbolic link is a <see cref="SpecFileWriteException"/> naming it; the old file
    /// stays as it was.
    /// </summary>
    public async Task WriteAsync(string path, string text, CancellationToken cancellationToken)
    {
        // A link (a spec kept in a git checkout and linked in) would be replaced by a copy: the link gone without a word,
        // its target left on the old text, and the next checkout no longer seen. Refused, naming the file to edit.
        if (new FileInfo(path).LinkTarget is { } target)
        {
            var resolved = Path.GetFullPath(target, Path.GetDirectoryName(Path.GetFullPath(path))!);
            throw new SpecFileWriteException($"cannot write the spec file {path}: it is a symbolic link to {resolved}, and the node does not write through links (the link would become a copy and {resolved} would keep the old text); edit {resolved} instead, the node picks the change up; nothing was changed");
        }

        RefuseWhileTheFolderIsMissing(path);
        try
        {
            Directory.CreateDirectory(SpecsDir);
            await AtomicFile.WriteAsync(path, Encoding.UTF8.GetBytes(text), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw SpecFileWriteException.For("write", path, ex);
        }

        await ScanAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the file that defines <paramref name="slug"/>; false when none does. One that cannot be deleted is a <see cref="SpecFileWriteException"/>.</summary>
    public async Task<bool> DeleteAsync(string slug, CancellationToken cancellationToken)
    {
        if (!Entries.TryGetValue(slug, out var entry))
        {
            return false;
        }

        try
        {
            _deletedOnPurpose[slug] = 0;
            File.Delete(entry.File);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _deletedOnPurpose.TryRemove(slug, out _);
            throw SpecFileWriteException.For("delete", entry.File, ex);
        }

        await ScanAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// True when <paramref name="slug"/> went by <see cref="DeleteAsync"/> (<c>gradient-node delete</c>, the API) and has not
    /// come back since: its replicas stop at once, without the grace a spec file that went away is given.
    /// </summary>
    public bool DeletedOnPurpose(string slug) => _deletedOnPurpose.ContainsKey(slug);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _deletedOnPurpose = new(StringComparer.Ordinal);

    private void ForgetDeletesThatCameBack()
    {
        foreach (var back in _deletedOnPurpose.Keys.Where(_catalog.Entries.ContainsKey))
        {
            _deletedOnPurpose.TryRemove(back, out _);
        }
    }

    /// <summary>Spec files read before and missing since (monotonic timestamp of the first scan that missed each).</summary>
    private readonly Dictionary<string, long> _absentSince = new(StringComparer.Ordinal);

    private async Task<List<SpecFile>> ReadFilesAsync(bool quick, bool settle, CancellationToken cancellationToken)
    {
        var files = new List<SpecFile>();
        if (!Directory.Exists(SpecsDir))
        {
            _stamps.Clear();
            _absentSince.Clear();
            _unreadable.Clear();
            _unreadableWarnings = [];
            return files;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(SpecsDir).Where(IsSpecFile))
        {
            seen.Add(path);
            try
            {
                var stamp = FileStamp.Of(path);
                if (quick && _stamps.TryGetValue(path, out var last) && last.Unchanged(stamp) && _catalog.TextOf(path) is { } known)
                {
                    files.Add(new SpecFile(path, known, stamp.Modified, null));
                    continue;
                }

                if (settle && !Settling.IsSettled(path, stamp))
                {
                    KeepKnown(path, files); // still being written: neither read nor reported, looked at again after Settle
                    continue;
                }

                var text = await BoundedText.ReadRegularFileAsync(path, Specs.Parsing.YamlGuard.MaxChars, cancellationToken).ConfigureAwait(false);
                if (settle && !SettleTracker.SameFile(stamp, FileStamp.Of(path)))
                {
                    Settling.IsSettled(path, FileStamp.Of(path)); // written again while it was read: wait for it to settle anew
                    KeepKnown(path, files);
                    continue;
                }

                _unreadable.Remove(path);
                Interlocked.Increment(ref _fileReads);
                _stamps[path] = stamp;
                var lastGoodPath = Path.Combine(LastGoodDir, Path.GetFileName(path));

                // An unchanged file is not parsed again, so its last good copy is not read either (idle cost of the rescan).
                var lastGood = _catalog.TextOf(path) != text && File.Exists(lastGoodPath) ? await File.ReadAllTextAsync(lastGoodPath, cancellationToken).ConfigureAwait(false) : null;
                files.Add(new SpecFile(path, text, stamp.Modified, lastGood));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Unreadable (permissions, a dangling or looping link, mid-replace): keep what we knew of it rather than
                // treat it as deleted. Logged once per file and reason, not at every 2 s rescan; the node report lists it.
                _stamps.Remove(path);
                NoteUnreadable(path, ex);
                var known = _catalog.TextOf(path) ?? ReadLastGoodOrNull(path);
                if (File.Exists(path) && known is not null)
                {
                    files.Add(new SpecFile(path, known, DateTimeOffset.MinValue, known));
                }
            }
        }

        Settling.Retain(seen);
        foreach (var back in _absentSince.Keys.Where(seen.Contains).ToList())
        {
            _absentSince.Remove(back);
        }

        foreach (var gone in _stamps.Keys.Where(p => !seen.Contains(p)).ToList())
        {
            if (settle && !AbsenceSettled(gone))
            {
                // Gone for less than Settle: an editor's delete-then-write, a checkout, a mv followed by a link. Kept as it
                // was, and looked at again after Settle; a removal published in the gap tore the deployment down.
                KeepKnown(gone, files);
                continue;
            }

            _absentSince.Remove(gone);
            _stamps.Remove(gone);
        }

        foreach (var gone in _unreadable.Keys.Where(p => !seen.Contains(p)).ToList())
        {
            _unreadable.Remove(gone);
        }

        _unreadableWarnings = [.. _unreadable.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"spec file {p.Key} cannot be read ({p.Value}): it is skipped, and a deployment it defined keeps the version read before")];
        return files;
    }

    /// <summary>
    /// Whether a spec file read before has now been away for <see cref="Settle"/> (monotonic), so that the watch loop
    /// takes it for deleted; the first scan that misses it starts the wait. An explicit delete (<see cref="DeleteAsync"/>)
    /// and the first scan do not wait.
    /// </summary>
    private bool AbsenceSettled(string path)
    {
        if (Settle <= TimeSpan.Zero)
        {
            return true;
        }

        if (!_absentSince.TryGetValue(path, out var since))
        {
            _absentSince[path] = time.GetTimestamp();
            return false;
        }

        return time.GetElapsedTime(since) >= Settle;
    }

    /// <summary>
    /// A file not read this scan (still being written) keeps the text read before, else its last good copy (a deployment
    /// whose file is being rewritten as the daemon starts is not taken for deleted); a new file waits to appear.
    /// </summary>
    private void KeepKnown(string path, List<SpecFile> files)
    {
        if ((_catalog.TextOf(path) ?? ReadLastGoodOrNull(path)) is { } known)
        {
            files.Add(new SpecFile(path, known, DateTimeOffset.MinValue, known));
        }
    }

    /// <summary>Logs an unreadable spec file once per reason (the rescan meets it every 2 s) and keeps it for <see cref="Warnings"/>.</summary>
    private void NoteUnreadable(string path, Exception ex)
    {
        var reason = ex is FileNotFoundException && new FileInfo(path).LinkTarget is { } target
            ? $"a symbolic link to {target}, which does not exist"
            : ex.Message;
        if (_unreadable.TryGetValue(path, out var known) && known == reason)
        {
            return;
        }

        _unreadable[path] = reason;
        LogUnreadable(path, reason);
    }

    private string? ReadLastGoodOrNull(string path)
    {
        try
        {
            var lastGoodPath = Path.Combine(LastGoodDir, Path.GetFileName(path));
            return File.Exists(lastGoodPath) ? File.ReadAllText(lastGoodPath) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The text of the version of <paramref name="entry"/> that runs: its file while that is valid, else the file's
    /// last good copy (the one its <see cref="CatalogEntry.Spec"/> was parsed from); null when nothing of it runs.
    /// </summary>
    public async Task<string?> RunningTextAsync(CatalogEntry entry, CancellationToken cancellationToken)
    {
        if (entry.Spec is null)
        {
            return null;
        }

        var path = entry.IsCurrent ? entry.File : Path.Combine(LastGoodDir, Path.GetFileName(entry.File));
        try
        {
            return await BoundedText.ReadRegularFileAsync(path, Specs.Parsing.YamlGuard.MaxChars, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
