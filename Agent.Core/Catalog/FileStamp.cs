namespace GradientNode.Core.Catalog;

/// <summary>
/// What a spec file looked like when it was read: its modification and birth times, its size, and when it was read. A
/// quiet rescan trusts an unchanged stamp instead of reading the file again, the way git trusts its index: only when
/// the file had not been modified for <see cref="Settle"/> before it was read, since a write in the same coarse kernel
/// clock tick and of the same size would otherwise go unseen. A rename over the file changes its birth time.
/// </summary>
internal readonly record struct FileStamp(DateTimeOffset Modified, DateTimeOffset Created, long Length, DateTimeOffset ReadAt)
{
    /// <summary>How long a file must have been left alone before it was read for its stamp to be trusted.</summary>
    public static TimeSpan Settle { get; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The file's stamp now. The kernel sets file times from the system clock, so the read time is compared on that
    /// clock (<see cref="TimeProvider.System"/>), not on the daemon's injected one. A symbolic link is stamped by the file
    /// it leads to: <see cref="FileInfo"/> describes the link itself, whose times and size never move when its target is
    /// edited, so before, an edit of a linked spec's target was never read by a quick rescan. A link that leads nowhere
    /// readable (dangling, looping, to a folder) keeps its own stamp; reading it fails and says why.
    /// </summary>
    public static FileStamp Of(string path)
    {
        var info = new FileInfo(path);
        var file = info.LinkTarget is null ? info : Target(info) ?? info;
        return new FileStamp(file.LastWriteTimeUtc, file.CreationTimeUtc, file.Length, TimeProvider.System.GetUtcNow());
    }

    private static FileInfo? Target(FileInfo link)
    {
        try
        {
            return link.ResolveLinkTarget(returnFinalTarget: true) is FileInfo { Exists: true } target ? target : null;
        }
        catch (IOException)
        {
            return null; // a loop of links
        }
    }

    /// <summary>True when <paramref name="now"/> describes the same file as this stamp and this stamp was taken on a settled file.</summary>
    public bool Unchanged(FileStamp now) =>
        now.Modified == Modified && now.Created == Created && now.Length == Length && Modified <= ReadAt - Settle;
}
