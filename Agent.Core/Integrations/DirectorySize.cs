namespace GradientNode.Core.Integrations;

/// <summary>Bytes and files under a directory (0 when it does not exist).</summary>
public static class DirectorySize
{
    public static (long Bytes, long Files) Of(string path)
    {
        if (!Directory.Exists(path))
        {
            return (0, 0);
        }

        long bytes = 0, files = 0;
        foreach (var file in new DirectoryInfo(path).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 }))
        {
            bytes += file.Length;
            files++;
        }

        return (bytes, files);
    }

    /// <summary>Copies a directory tree (files and folders; links are copied as the files they point to).</summary>
    public static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
