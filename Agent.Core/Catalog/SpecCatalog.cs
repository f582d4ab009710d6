using GradientNode.Core.Common;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Catalog;

/// <summary>
/// The desired state computed from the spec directory, recomputed from scratch on every change:
/// each file is parsed; a bad edit keeps the file's last good spec; two files naming the same deployment
/// leave the first one (by when it was first seen) in charge and report the other as a conflict.
/// Not thread-safe: one owner (the directory watcher) calls <see cref="Update"/>.
/// </summary>
/// <param name="previousOwners">
/// The files that owned a name when the daemon last ran (<see cref="Owners"/>, kept by the watcher): the first update
/// sees them first, so a restart does not hand a deployment to another file that declares the same name just because
/// the owner was edited after it. Later updates go by when each file was first seen only.
/// </param>
public sealed class SpecCatalog(IEnumerable<string>? previousOwners = null)
{
    private readonly Dictionary<string, FileState> _files = new(StringComparer.Ordinal);
    private HashSet<string>? _previousOwners = previousOwners?.ToHashSet(StringComparer.Ordinal);
    private Dictionary<string, CatalogEntry> _entries = new(StringComparer.Ordinal);
    private long _order;

    public IReadOnlyDictionary<string, CatalogEntry> Entries => _entries;

    /// <summary>The file of every entry, to pass as the next start's <c>previousOwners</c>.</summary>
    public IReadOnlyList<string> Owners => [.. _entries.Values.Select(e => e.File).Order(StringComparer.Ordinal)];

    /// <summary>Files whose current text is valid and differs from the last good text given: persist these.</summary>
    public IReadOnlyList<SpecFile> NewlyGood { get; private set; } = [];

    /// <summary>Replaces the catalog's view with <paramref name="files"/> (every spec file present) and returns the slugs that changed.</summary>
    public IReadOnlySet<string> Update(IReadOnlyCollection<SpecFile> files)
    {
        var present = new HashSet<string>(files.Select(f => f.Path), StringComparer.Ordinal);
        foreach (var gone in _files.Keys.Where(p => !present.Contains(p)).ToList())
        {
            _files.Remove(gone);
        }

        var newlyGood = new List<SpecFile>();
        var previous = _previousOwners ?? [];
        _previousOwners = null;
        foreach (var file in files.OrderBy(f => previous.Contains(f.Path) ? 0 : 1).ThenBy(f => f.Modified).ThenBy(f => f.Path, StringComparer.Ordinal))
        {
            if (_files.TryGetValue(file.Path, out var known) && known.Text == file.Text)
            {
                continue;
            }

            var order = known?.Order ?? ++_order;
            var result = SpecParser.Parse(file.Path, file.Text);
            var (lastGood, lastGoodProblem) = known?.LastGood is { } kept ? (kept, null) : ParseLastGood(file);
            if (result.IsValid)
            {
                (lastGood, lastGoodProblem) = (result.Spec, null);
                if (file.LastGoodText != file.Text)
                {
                    newlyGood.Add(file);
                }
            }

            _files[file.Path] = new FileState(order, file.Text, result, lastGood, lastGoodProblem);
        }

        NewlyGood = newlyGood;
        var next = Compute();
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (slug, entry) in next)
        {
            if (!_entries.TryGetValue(slug, out var before) || before != entry)
            {
                changed.Add(slug);
            }
        }

        changed.UnionWith(_entries.Keys.Where(slug => !next.ContainsKey(slug)));
        _entries = next;
        return changed;
    }

    /// <summary>The text last read from <paramref name="path"/>, so a momentarily unreadable file keeps its state.</summary>
    public string? TextOf(string path) => _files.TryGetValue(path, out var state) ? state.Text : null;

    /// <summary>The file that defines <paramref name="slug"/>, if any.</summary>
    public string? FileOf(string slug) => _entries.TryGetValue(slug, out var entry) ? entry.File : null;

    /// <summary>
    /// The file's last good copy as a spec; or null and why, when the copy is there but does not parse (damaged on disk, or
    /// valid for an older version only): its errors are positions in the copy, never its text.
    /// </summary>
    private static (DeploymentSpec? Spec, string? Problem) ParseLastGood(SpecFile file)
    {
        if (file.LastGoodText is null)
        {
            return (null, null);
        }

        var result = SpecParser.Parse(file.Path, file.LastGoodText);
        if (result.IsValid)
        {
            return (result.Spec, null);
        }

        var first = result.Errors.First();
        var more = result.Errors.Count > 1 ? $" (and {result.Errors.Count - 1} more)" : string.Empty;
        return (null, $"{LastGoodFolder}/{Path.GetFileName(file.Path)} does not parse: line {first.Line}, column {first.Column}{more}");
    }

    /// <summary>The folder of the last good copies under the state dir.</summary>
    public const string LastGoodFolder = "last-good";

    private Dictionary<string, CatalogEntry> Compute()
    {
        var entries = new Dictionary<string, CatalogEntry>(StringComparer.Ordinal);
        var conflicts = new Dictionary<string, List<(string File, string Message)>>(StringComparer.Ordinal);
        // A file that has (or had) a valid spec claims its name before a file that never parsed, then first seen wins.
        foreach (var (path, state) in _files.OrderBy(pair => pair.Value.Latest.IsValid || pair.Value.LastGood is not null ? 0 : 1).ThenBy(pair => pair.Value.Order))
        {
            var spec = state.Latest.IsValid ? state.Latest.Spec : state.LastGood;
            var name = spec?.Name ?? SpecNameProbe.GuessName(path, state.Text);
            var slug = spec?.Slug ?? DeploymentName.ToSlug(name);
            if (slug.Length == 0)
            {
                slug = DeploymentName.ToSlug(DeploymentName.FromFile(path));
            }

            if (entries.TryGetValue(slug, out var owner))
            {
                var (line, column) = SpecNameProbe.NamePosition(state.Text);
                // Two different names can share a slug ("My App" and "my-app", or long names cut at 63 characters): say so.
                var clash = string.Equals(name, owner.Name, StringComparison.Ordinal)
                    ? $"deployment '{name}' is already defined in {owner.File}"
                    : $"deployment '{name}' has the slug '{slug}', which '{owner.Name}' in {owner.File} already uses";
                conflicts.GetOrAdd(slug).Add((path, $"{path}:{line}:{column}: {clash}; this file is ignored until that one is removed or renamed"));
                continue;
            }

            entries[slug] = new CatalogEntry(slug, name, path, spec, state.Latest.IsValid ? EquatableArray<SpecError>.Empty : state.Latest.Errors, EquatableArray<string>.Empty)
            {
                LastGoodProblem = spec is null ? state.LastGoodProblem : null,
            };
        }

        foreach (var (slug, list) in conflicts)
        {
            entries[slug] = entries[slug] with
            {
                Conflicts = new EquatableArray<string>([.. list.Select(c => c.Message)]),
                IgnoredFiles = new EquatableArray<string>([.. list.Select(c => c.File)]),
            };
        }

        return entries;
    }

    private sealed record FileState(long Order, string Text, SpecParseResult Latest, DeploymentSpec? LastGood, string? LastGoodProblem);
}
