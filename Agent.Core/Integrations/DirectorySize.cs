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
}
