using System.Text.Json;
using GradientNode.Core.Common;

namespace GradientNode.Core.Integrations;

/// <summary>
/// Which volume folders each deployment has used (<c>owners/&lt;slug&gt;.json</c>), so that deleting a deployment removes
/// its named volumes and every cached folder no other deployment uses, across daemon restarts.
/// </summary>
public sealed class VolumeOwners(string directory)
{
    private readonly Lock _lock = new();

    public void Record(string slug, IEnumerable<string> paths)
    {
        lock (_lock)
        {
            var file = FileOf(slug);
            var known = Read(file);
            var all = known.Union(paths, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (all.Count != known.Count)
            {
                Directory.CreateDirectory(directory);
                JsonStateFile.Write(file, all, VolumeJsonContext.Default.ListString);
            }
        }
    }

    /// <summary>Forgets <paramref name="slug"/> and deletes the folders only it used; returns them.</summary>
    public IReadOnlyList<string> Release(string slug)
    {
        lock (_lock)
        {
            var file = FileOf(slug);
            if (!File.Exists(file))
            {
                return [];
            }

            var mine = Read(file);
            File.Delete(file);
            var others = Directory.EnumerateFiles(directory, "*.json").SelectMany(Read).ToHashSet(StringComparer.Ordinal);
            var removed = mine.Where(p => !others.Contains(p) && Directory.Exists(p)).ToList();
            foreach (var path in removed)
            {
                Directory.Delete(path, recursive: true);
            }

            return removed;
        }
    }

    private string FileOf(string slug) => Path.Combine(directory, slug + ".json");

    /// <summary>
    /// A missing or corrupt file: no folders. Unlike <see cref="JsonStateFile.Read"/>, a file the daemon may not read
    /// throws (kept as it was): read as empty, <see cref="Release"/> would delete it and leave its folders behind for good.
    /// </summary>
    private static List<string> Read(string file)
    {
        try
        {
            return File.Exists(file) ? JsonSerializer.Deserialize(File.ReadAllBytes(file), VolumeJsonContext.Default.ListString) ?? [] : [];
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return [];
        }
    }
}
