using GradientNode.Core.Common;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// One YAML mapping read against its known keys: unknown keys are reported at the key (with a
/// "did you mean" hint), and typed getters report wrong types at the value. A key whose value is
/// null or empty counts as absent. A required key that an unknown key's hint already named (<c>machinetype</c>: did you
/// mean 'machineType'?) is not reported missing as well: one mistake, one error. The same holds for a block that a key
/// written outside it names (<c>replicas</c> at the top level: it belongs in <c>resources</c>).
/// </summary>
internal sealed class MappingReader
{
    private readonly Dictionary<string, KeyValuePair<YamlScalarNode, YamlNode>> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _suggested = new(StringComparer.Ordinal);

    public MappingReader(
        SpecReader reader,
        YamlMappingNode node,
        string path,
        IReadOnlyCollection<string> known,
        IReadOnlyDictionary<string, string>? foreign = null,
        IReadOnlyDictionary<string, string>? parents = null,
        IReadOnlyDictionary<string, string>? spellings = null)
    {
        Reader = reader;
        Node = node;
        Path = path;
        foreach (var (key, value) in node.Children)
        {
            if (key is not YamlScalarNode { Value: { } name } scalarKey)
            {
                reader.Error(key, $"{FieldPath.Prefix(path)}keys must be strings");
                continue;
            }

            if (!known.Contains(name))
            {
                if (reader.ReadAs?.GetValueOrDefault((scalarKey.Start.Line, scalarKey.Start.Column)) is { } readAs && known.Contains(readAs.Meant) && !_entries.ContainsKey(readAs.Meant))
                {
                    _entries[readAs.Meant] = new(scalarKey, value);
                    continue;
                }

                if (spellings?.GetValueOrDefault(name) is { } spelled && known.Contains(spelled))
                {
                    // The key as another kind of file spells it (a deployment's accessKeyId where s3-download@v1 takes
                    // access-key): named, not reported missing, and what it holds checked as that key in the same pass.
                    reader.Error(key, $"unknown field '{name}'{(path.Length == 0 ? string.Empty : $" in {path}")}; did you mean '{spelled}'?");
                    _suggested.Add(spelled);
                    if (!node.Children.ContainsKey(new YamlScalarNode(spelled)))
                    {
                        reader.NoteMisspelt(new MisspeltKey(scalarKey, name, spelled, value));
                    }

                    continue;
                }

                reader.Error(key, UnknownMessage(name, known, foreign, parents));
                if ((foreign is null || !foreign.ContainsKey(name)) && (parents is null || !parents.ContainsKey(name)) && KeySuggester.Suggest(name, known, maxDistance: 1) is { } meant
                    && !node.Children.ContainsKey(new YamlScalarNode(meant)))
                {
                    reader.NoteMisspelt(new MisspeltKey(scalarKey, name, meant, value));
                }

                continue;
            }

            _entries[name] = new(scalarKey, value);
        }
    }

    public SpecReader Reader { get; }

    public YamlMappingNode Node { get; }

    public string Path { get; }

    public string Field(string key) => FieldPath.Child(Path, key);

    /// <summary>True when the key is written, even with a null value.</summary>
    public bool Has(string key) => _entries.ContainsKey(key);

    public YamlScalarNode? Key(string key) => _entries.TryGetValue(key, out var entry) ? entry.Key : null;

    /// <summary>The value node, or null when the key is absent or its value is null.</summary>
    public YamlNode? Value(string key) =>
        _entries.TryGetValue(key, out var entry) && !ValueReader.IsNull(entry.Value) ? entry.Value : null;

    /// <summary>Where an error about <paramref name="key"/> goes: its value, else its key, else the mapping.</summary>
    public YamlNode At(string key) =>
        _entries.TryGetValue(key, out var entry) ? (ValueReader.IsNull(entry.Value) ? entry.Key : entry.Value) : Node;

    /// <summary>
    /// A required key is absent, or written with no value (<c>with:</c> and the lines meant for it not indented
    /// under it): the second is reported at the key, as what it is.
    /// </summary>
    public void Missing(string key)
    {
        if (_entries.TryGetValue(key, out var entry) && ValueReader.IsNull(entry.Value))
        {
            Reader.Error(entry.Key, $"{Field(key)}: required, but written with no value (indent what belongs to it under '{key}:')");
            return;
        }

        if (!_entries.ContainsKey(key) && _suggested.Contains(key))
        {
            return; // the misspelt key's error says it
        }

        var example = !_entries.ContainsKey(key) && Examples?.GetValueOrDefault(key) is { } line ? $" (add it, e.g. '{line}')" : string.Empty;
        Reader.Error(Node, $"{FieldPath.Prefix(Path)}missing required field '{key}'{example}");
    }

    /// <summary>
    /// The smallest valid line per required key, named when the key is absent: a fragment pasted from a page (only
    /// <c>image:</c>, say) learns what to add, not only that something is missing.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Examples { get; init; }

    public void Error(string key, string message) => Reader.Error(At(key), $"{Field(key)}: {message}");

    public string? String(string key, bool required = false)
    {
        var node = Value(key);
        if (node is null || (required && ValueReader.IsBlank(node)))
        {
            if (required)
            {
                Missing(key);
            }

            return null;
        }

        return ValueReader.String(Reader, node, Field(key));
    }

    public int? Int(string key, bool required = false) =>
        Read(key, required, node => ValueReader.Int(Reader, node, Field(key)));

    public double? Number(string key, bool required = false) =>
        Read(key, required, node => ValueReader.Number(Reader, node, Field(key)));

    public bool? Bool(string key) => Read(key, false, node => ValueReader.Bool(Reader, node, Field(key)));

    public SecretRef? Secret(string key) => ReadRef(key, node => ValueReader.Secret(Reader, node, Field(key)));

    public SpecValue? StringOrSecret(string key) => ReadRef(key, node => ValueReader.StringOrSecret(Reader, node, Field(key)));

    public EquatableArray<string>? StringList(string key) =>
        Read(key, false, node => ValueReader.StringList(Reader, node, Field(key)));

    public YamlMappingNode? Mapping(string key, bool required = false) =>
        ReadRef(key, node => ValueReader.Mapping(Reader, node, Field(key)), required);

    public YamlSequenceNode? Sequence(string key, bool required = false) =>
        ReadRef(key, node => ValueReader.Sequence(Reader, node, Field(key)), required);

    private T? Read<T>(string key, bool required, Func<YamlNode, T?> read)
        where T : struct
    {
        var node = Value(key);
        if (node is null)
        {
            if (required)
            {
                Missing(key);
            }

            return null;
        }

        return read(node);
    }

    private T? ReadRef<T>(string key, Func<YamlNode, T?> read, bool required = false)
        where T : class
    {
        var node = Value(key);
        if (node is null)
        {
            if (required)
            {
                Missing(key);
            }

            return null;
        }

        return read(node);
    }

    private string UnknownMessage(
        string name,
        IReadOnlyCollection<string> known,
        IReadOnlyDictionary<string, string>? foreign,
        IReadOnlyDictionary<string, string>? parents)
    {
        var where = Path.Length == 0 ? string.Empty : $" in {Path}";
        if (parents is not null && parents.TryGetValue(name, out var parent))
        {
            // A key of a nested block written outside it (Gradient's flattened doc pages do this): the block it belongs
            // in is named here, so that block is not reported missing as well.
            _suggested.Add(parent);
            var inner = foreign is not null && foreign.TryGetValue(name, out var other) ? other : $"it belongs in {parent}: indent it under a '{parent}:' key";
            return $"unknown field '{name}'{where} ({inner})";
        }

        if (foreign is not null && foreign.TryGetValue(name, out var hint))
        {
            return $"unknown field '{ValueReader.Shorten(name)}'{where} ({hint})";
        }

        var suggestion = KeySuggester.Suggest(name, known);
        if (suggestion is not null)
        {
            _suggested.Add(suggestion);
        }

        return suggestion is null
            ? $"unknown field '{ValueReader.Shorten(name)}'{where}"
            : $"unknown field '{name}'{where}; did you mean '{suggestion}'?";
    }
}
