namespace GradientNode.Core.Integrations;

/// <summary>The bytes free on the disk that holds a path, for the fetchers' checks that a source fits before it is written.</summary>
internal static class FreeSpace
{
    /// <summary>Free bytes on the disk of <paramref name="path"/>, or of its nearest existing folder when it does not exist yet.</summary>
    public static long Under(string path)
    {
        var existing = Path.GetFullPath(path);
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
        {
            existing = parent;
        }

        return new DriveInfo(existing).AvailableFreeSpace;
    }
}
