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
