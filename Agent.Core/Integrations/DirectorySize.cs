namespace GradientNode.Core.Integrations;

/// <summary>
/// Bytes and files under a directory (0 when it does not exist). Symbolic links are skipped, never followed: what is
/// measured is often a spec author's content (a cloned repository), and a link there to <c>/</c> or back to its own
/// folder would make the root daemon walk the host's file system, or loop without end, on each status read.
/// </summary>
public static class DirectorySize
{
    public static (long Bytes, long Files) Of(string path)
    {
        if (!Directory.Exists(path))
        {
            return (0, 0);
        }

        long bytes = 0, files = 0;
        foreach (var file in new DirectoryInfo(path).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint }))
        {
            bytes += file.Length;
            files++;
        }

        return (bytes, files);
    }
}
