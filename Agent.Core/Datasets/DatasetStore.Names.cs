using GradientNode.Core.Specs.Parsing;

namespace GradientNode.Core.Datasets;

/// <summary>
/// The names of the datasets on the node, and the "no dataset" error that names the close one: before, a typo
/// (<c>datasets upload rawdta DIR</c>) was told only to create <c>rawdta</c>, beside an existing <c>rawdata</c>.
/// </summary>
public sealed partial class DatasetStore
{
    /// <summary>The names of the datasets on the node (folders with a dataset record), in ordinal order.</summary>
    private IEnumerable<string> Names() =>
        Directory.Exists(Root)
            ? Directory.EnumerateDirectories(Root).Select(Path.GetFileName)
                .Where(n => n is not null && DatasetReference.CheckName(n) is null && File.Exists(DatasetFileOf(n)))
                .Order(StringComparer.Ordinal)!
            : [];

    /// <summary>
    /// The dataset whose name is <paramref name="name"/>'s letters in another case (<c>MyData</c> for <c>mydata</c>), when
    /// there is no dataset <paramref name="name"/> itself; null otherwise. Names are case-sensitive: a write to
    /// <paramref name="name"/> would make a second dataset beside it.
    /// </summary>
    public string? OtherCase(string name)
    {
        var names = Names().ToList();
        return names.Contains(name, StringComparer.Ordinal)
            ? null
            : names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
    }

    private DatasetException NotFound(string name) =>
        new(DatasetError.NotFound, KeySuggester.Suggest(name, Names()) is { } close
            ? $"no dataset '{name}'; did you mean '{close}'? (or create it: gradient-node datasets create {name})"
            : $"no dataset '{name}' (create it: gradient-node datasets create {name})");

    /// <summary>
    /// <c>datasets rm</c> of a name the node lacks: the close name or the names there are, not <see cref="NotFound"/>'s
    /// advice to create it (before: <c>datasets rm nosuch</c> said <c>(create it: gradient-node datasets create nosuch)</c>).
    /// </summary>
    private DatasetException NothingToRemove(string name)
    {
        var names = Names().ToList();
        var why = KeySuggester.Suggest(name, names) is { } close ? $" (did you mean '{close}'?)"
            : names.Count == 0 ? " (there are none on this node)"
            : names.Count <= 10 ? $" (there are: {string.Join(", ", names)}; gradient-node datasets ls)"
            : $" (there are {names.Count}: gradient-node datasets ls)";
        return new(DatasetError.NotFound, $"no dataset '{name}'{why}; nothing was removed");
    }

    /// <summary>
    /// <c>; did you mean 'latest'?</c> when a version id or tag of the dataset has the letters of <paramref name="selector"/>
    /// in another case (<c>MyData:Latest</c>), as a dataset's name gets; only case, never a guess at a random version id.
    /// </summary>
    private static string SameLetters(string selector, IReadOnlyList<DatasetVersion> versions) =>
        versions.SelectMany(v => v.Tags.Prepend(v.Version)).FirstOrDefault(n => string.Equals(n, selector, StringComparison.OrdinalIgnoreCase)) is { } close
            ? $"; did you mean '{close}'?"
            : string.Empty;
}
