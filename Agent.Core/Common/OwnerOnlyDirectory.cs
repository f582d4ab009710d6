namespace GradientNode.Core.Common;

/// <summary>
/// A folder only its owner may read, write or enter (0700): where the node keeps secrets, registry passwords and the
/// snapshots of both.
/// </summary>
public static class OwnerOnlyDirectory
{
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> 0700 where it is missing, and makes it 0700 where it was there already.</summary>
    public static void Create(string path)
    {
        Directory.CreateDirectory(path, Mode);
        File.SetUnixFileMode(path, Mode);
    }
}
