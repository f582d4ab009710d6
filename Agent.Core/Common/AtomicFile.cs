namespace GradientNode.Core.Common;

/// <summary>
/// Replaces a file atomically: the bytes go to a dot-temp file in the same directory (created with the final
/// mode, 0600 unless told otherwise), are flushed to disk, then renamed over the target, so a reader sees the
/// old or the new file, never a mix. The directory is flushed after the rename, so that after a power loss the
/// name points at the new content rather than at the old file or at nothing.
/// </summary>
public static class AtomicFile
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes) => Write(path, bytes, OwnerOnly);

    /// <param name="durable">False for runtime files that mean nothing after a power loss (still atomic, no fsync).</param>
    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode, bool durable = true)
    {
        var (full, temp) = Paths(path);
        try
        {
            using (var stream = Open(temp, mode))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: durable);
            }

            File.Move(temp, full, overwrite: true);
            if (durable)
            {
                PosixFile.FlushDirectory(Path.GetDirectoryName(full)!);
            }
        }
        catch
        {
            TryDelete(temp); // a leftover dot-temp file is ignored by every reader
            throw;
        }
    }

    public static async Task WriteAsync(string path, ReadOnlyMemory<byte> content, UnixFileMode mode, CancellationToken cancellationToken)
    {
        var (full, temp) = Paths(path);
        try
        {
            await using (var stream = Open(temp, mode))
            {
                await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
            PosixFile.FlushDirectory(Path.GetDirectoryName(full)!);
        }
        catch
        {
            TryDelete(temp); // a leftover dot-temp file is ignored by every reader
            throw;
        }
    }

    /// <summary>
    /// Replaces several files in one directory as together as a file system allows: every file's bytes go to its temp
    /// file first (flushed), and only when all of them are written are they renamed over their targets, in order. A full
    /// or read-only disk therefore fails before any target changes: a key and its certificate are never left half
    /// replaced (a new key beside the old certificate), which a plain <see cref="Write"/> of each did when the second
    /// write found no space. A failure names the target, not its temp file: <c>…/node.crt: No space left on device</c>,
    /// with the errno kept in <see cref="Exception.HResult"/>.
    /// </summary>
    public static void WriteTogether(IReadOnlyList<(string Path, byte[] Content, UnixFileMode Mode)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0)
        {
            return;
        }

        var written = new List<(string Full, string Temp)>();
        try
        {
            foreach (var (path, content, mode) in files)
            {
                var (full, temp) = Paths(path);
                written.Add((full, temp));
                try
                {
                    using var stream = Open(temp, mode);
                    stream.Write(content);
                    stream.Flush(flushToDisk: true);
                }
                catch (IOException ex) when (ex is not PathTooLongException)
                {
                    throw new IOException($"{full}: {MessageWithoutPath(ex)}", ex.HResult);
                }
            }

            foreach (var (full, temp) in written)
            {
                File.Move(temp, full, overwrite: true);
            }

            PosixFile.FlushDirectory(Path.GetDirectoryName(written[0].Full)!);
        }
        catch
        {
            foreach (var (_, temp) in written)
            {
                TryDelete(temp); // a leftover dot-temp file is ignored by every reader
            }

            throw;
        }
    }

    /// <summary>An IO error's words without the path .NET appends (<c>No space left on device : '/x/.a.1.ff.tmp'</c>).</summary>
    private static string MessageWithoutPath(IOException error)
    {
        var cut = error.Message.IndexOf(" : '", StringComparison.Ordinal);
        return cut > 0 ? error.Message[..cut] : error.Message;
    }

    private static (string Full, string Temp) Paths(string path)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        return (full, Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp"));
    }

    private static FileStream Open(string path, UnixFileMode mode) => new(path, new FileStreamOptions
    {
        Mode = FileMode.CreateNew,
        Access = FileAccess.Write,
        Share = FileShare.None,
        UnixCreateMode = mode,
    });

    /// <summary>
    /// Deletes <paramref name="path"/> if it is there; never throws for what the disk or its permissions refuse. The
    /// caller says what a file left behind means. False when it could not be deleted.
    /// </summary>
    public static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
