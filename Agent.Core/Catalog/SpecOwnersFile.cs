using GradientNode.Core.Common;

namespace GradientNode.Core.Catalog;

/// <summary>
/// <c>&lt;state-dir&gt;/spec-owners.json</c>: the files that own a deployment name (<see cref="SpecCatalog.Owners"/>), so
/// that when two files declare one name the same file keeps it across a restart. A missing, unreadable or damaged file
/// (kept aside and named, <see cref="StateFileDamage"/>) means no preference (first seen, then oldest modification time,
/// then path).
/// </summary>
internal static class SpecOwnersFile
{
    public const string FileName = "spec-owners.json";

    public static IReadOnlyList<string> Load(string stateDir, StateFileDamage damage)
    {
        ArgumentNullException.ThrowIfNull(damage);
        return damage.Read(Path.Combine(stateDir, FileName), CatalogJsonContext.Default.ListString, Without) ?? [];
    }

    private const string Without = "where two spec files declare one deployment name, the owner is chosen again (first seen, then oldest file), and may differ from before";

    /// <summary>Throws when the file cannot be written (unlike the other state files: the caller decides).</summary>
    public static void Save(string stateDir, IReadOnlyList<string> owners)
    {
        Directory.CreateDirectory(stateDir);
        JsonStateFile.Write(Path.Combine(stateDir, FileName), [.. owners], CatalogJsonContext.Default.ListString);
    }
}
