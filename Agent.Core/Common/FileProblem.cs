namespace GradientNode.Core.Common;

/// <summary>
/// A file the node could not write or read, in words: the system's reason without .NET's <c> : 'PATH'</c> suffix (a temp
/// file's name such as <c>.dataset.json.18087.5578….tmp</c> tells a reader nothing) and the folder it was in; a full disk
/// says what to do. Shared by the API's errors and the messages of workflow jobs.
/// </summary>
public static class FileProblem
{
    /// <summary>ENOSPC: .NET's <see cref="IOException"/> on Linux carries the errno in its HResult.</summary>
    private const int NoSpaceErrno = 28;

    /// <summary>True for a write that failed because the disk (or the quota) is full.</summary>
    public static bool IsNoSpace(Exception error) =>
        Inner(error) is IOException io && (io.HResult == NoSpaceErrno || io.Message.StartsWith("No space left on device", StringComparison.Ordinal));

    /// <summary>
    /// <c>No space left on device (in /var/lib/gradient/datasets/out)</c>: the reason and the folder, when the message names a
    /// file; with <paramref name="errno"/> the errno's name too where .NET keeps it (<c>No space left on device, ENOSPC (in …)</c>).
    /// </summary>
    public static string Describe(Exception error, bool errno = false)
    {
        ArgumentNullException.ThrowIfNull(error);
        var reason = Inner(error).Message;
        var cut = reason.IndexOf(" : '", StringComparison.Ordinal);
        string? folder = null;
        if (cut > 0 && reason.EndsWith('\'') && Path.GetDirectoryName(reason[(cut + 4)..^1]) is { Length: > 0 } directory)
        {
            folder = directory;
        }

        reason = (cut > 0 ? reason[..cut] : reason).TrimEnd('.');
        if (errno && ErrnoName(Inner(error).HResult) is { } name && !reason.Contains(name, StringComparison.Ordinal))
        {
            reason += ", " + name;
        }

        var kind = error is UnauthorizedAccessException && !reason.StartsWith("permission denied", StringComparison.OrdinalIgnoreCase) ? "permission denied: " : string.Empty;
        return $"{kind}{reason}{(folder is null ? string.Empty : $" (in {folder})")}";
    }

    /// <summary>The name of an errno that a state-directory write meets (.NET's <see cref="IOException"/> on Linux carries it in its HResult).</summary>
    public static string? ErrnoName(int errno) => errno switch
    {
        28 => "ENOSPC",
        30 => "EROFS",
        13 => "EACCES",
        122 => "EDQUOT",
        5 => "EIO",
        _ => null,
    };

    private static Exception Inner(Exception error) => error is UnauthorizedAccessException { InnerException: IOException inner } ? inner : error;
}
