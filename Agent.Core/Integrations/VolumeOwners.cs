using GradientNode.Core.Common;

namespace GradientNode.Core.Integrations;

/// <summary>
/// Which volume folders each deployment has used (<c>owners/&lt;slug&gt;.json</c>), so that deleting a deployment removes
/// its named volumes and every cached folder no other deployment uses, across daemon restarts. A deployment's named
/// volumes are also known by their folder (<c>volumes/named/&lt;slug&gt;/</c>, <paramref name="namedDir"/>), so a damaged
/// owners file (kept aside, warning 1402) loses none of them; cached folders it named are left to the disk collection,
/// which removes those no deployment plans and no container mounts.
/// </summary>
public sealed class VolumeOwners(string directory, string namedDir, StateFileDamage damage)
{
    private readonly Lock _lock = new();

    public void Record(string slug, IEnumerable<string> paths)
    {
        lock (_lock)
        {
            var file = FileOf(slug);
            var known = Read(slug, file);
            var all = known.Union(paths, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (all.Count != known.Count)
            {
                Directory.CreateDirectory(directory);
                JsonStateFile.Write(file, all, VolumeJsonContext.Default.ListString);
            }
        }
    }

    /// <summary>
    /// Forgets <paramref name="slug"/> and deletes the folders only it used (never one <paramref name="inUse"/> holds: what
    /// other deployments' current versions plan); returns them. Its named volumes go whether its owners file names them or not.
    /// </summary>
    public IReadOnlyList<string> Release(string slug, IReadOnlySet<string>? inUse = null)
    {
        lock (_lock)
        {
            var file = FileOf(slug);
            var mine = Read(slug, file).Union(NamedOf(slug), StringComparer.Ordinal).ToList();
            if (File.Exists(file))
            {
                File.Delete(file);
            }

            var others = Directory.Exists(directory)
                ? Directory.EnumerateFiles(directory, "*.json").SelectMany(f => Read(Path.GetFileNameWithoutExtension(f), f)).ToHashSet(StringComparer.Ordinal)
                : [];
            var removed = mine.Where(p => !others.Contains(p) && inUse?.Contains(p) != true && Directory.Exists(p)).ToList();
            foreach (var path in removed)
            {
                Directory.Delete(path, recursive: true);
            }

            return removed;
        }
    }

    private string FileOf(string slug) => Path.Combine(directory, slug + ".json");

    /// <summary>The named volumes of <paramref name="slug"/> by their folder, <c>volumes/named/&lt;slug&gt;/&lt;name&gt;</c>.</summary>
    private IEnumerable<string> NamedOf(string slug)
    {
        var folder = Path.Combine(namedDir, slug);
        return Directory.Exists(folder) ? Directory.EnumerateDirectories(folder) : [];
    }

    /// <summary>
    /// A missing file: no folders. A damaged one (empty, cut short, not a list of paths) is kept aside with warning 1402
    /// and read as no folders: <see cref="Release"/> still finds the named volumes by their folder. A file the daemon may
    /// not read (permission) throws (kept as it was): read as empty, <see cref="Release"/> would delete it and forget its cached folders.
    /// </summary>
    private List<string> Read(string slug, string file)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (IOException)
        {
            return []; // missing, or an I/O error (as before): no folders known
        }

        if (JsonDamage.Problem(bytes, VolumeJsonContext.Default.ListString, out var paths) is not { } problem)
        {
            return paths!;
        }

        damage.Report(file, problem, $"deleting deployment '{slug}' still removes its named volumes (found under {Path.Combine(namedDir, slug)}); "
            + "its cached folders are removed by the disk collection once no deployment plans them and no container mounts them");
        return [];
    }
}
