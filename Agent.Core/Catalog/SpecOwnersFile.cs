using System.Text.Json;
using GradientNode.Core.Common;

namespace GradientNode.Core.Catalog;

/// <summary>
/// <c>&lt;state-dir&gt;/spec-owners.json</c>: the files that own a deployment name (<see cref="SpecCatalog.Owners"/>), so
/// that when two files declare one name the same file keeps it across a restart. A missing or unreadable file means no
/// preference (first seen, then oldest modification time, then path).
/// </summary>
internal static class SpecOwnersFile
{
    public const string FileName = "spec-owners.json";

    public static IReadOnlyList<string> Load(string stateDir)
    {
        try
        {
            var path = Path.Combine(stateDir, FileName);
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllBytes(path), CatalogJsonContext.Default.ListString) ?? [] : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return [];
        }
    }

    public static void Save(string stateDir, IReadOnlyList<string> owners)
    {
        Directory.CreateDirectory(stateDir);
        AtomicFile.Write(Path.Combine(stateDir, FileName), JsonSerializer.SerializeToUtf8Bytes([.. owners], CatalogJsonContext.Default.ListString), UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
