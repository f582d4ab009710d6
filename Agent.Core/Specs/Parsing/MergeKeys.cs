using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// Resolves YAML merge keys (<c>&lt;&lt;: *defaults</c>, <c>&lt;&lt;: [*a, *b]</c>, yaml.org/type/merge) in a loaded document,
/// in place, before the readers see it: the mapping gets the merged mappings' entries that it does not write itself
/// (its own keys win, then the earlier of the merged mappings), and loses the <c>&lt;&lt;</c> key. Docker Compose, GitLab CI,
/// PyYAML (so Gradient's own CLI) and most YAML tools honour them; before, <c>&lt;&lt;</c> was an unknown field and every key it
/// brought was reported missing. Only a plain <c>&lt;&lt;</c> key is one (a quoted <c>"&lt;&lt;"</c>, as JSON writes keys, is a key
/// like any other). A merged entry keeps the position where its anchor wrote it, so an error in it points there.
/// </summary>
internal static class MergeKeys
{
    private const string MergeTag = "tag:yaml.org,2002:merge";

    /// <summary>What a merge key that holds no mapping is told, after <c>&lt;&lt;: </c>'s value is described.</summary>
    public const string NotAMapping = "a merge key ('<<') takes a mapping or a list of mappings, such as <<: *defaults where defaults is an anchor on a mapping";

    /// <summary>Resolves every merge key under <paramref name="root"/>; a merge of something else is an error on <paramref name="reader"/> (when given).</summary>
    public static void Apply(YamlNode root, SpecReader? reader)
    {
        ArgumentNullException.ThrowIfNull(root);
        var done = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        Resolve(root, reader, done);
    }

    private static void Resolve(YamlNode node, SpecReader? reader, HashSet<YamlNode> done)
    {
        // An alias is the same node object as its anchor: each node is resolved once. A node that contains its own alias
        // was refused by YamlGuard before loading, so this recursion ends (its depth is bounded by the 64 levels too).
        if (!done.Add(node))
        {
            return;
        }

        switch (node)
        {
            case YamlSequenceNode sequence:
                foreach (var item in sequence.Children)
                {
                    Resolve(item, reader, done);
                }

                break;
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    Resolve(key, reader, done);
                    Resolve(value, reader, done);
                }

                Merge(mapping, reader);
                break;
        }
    }

    private static void Merge(YamlMappingNode mapping, SpecReader? reader)
    {
        var mergeKey = mapping.Children.Keys.FirstOrDefault(IsMergeKey);
        if (mergeKey is null)
        {
            return;
        }

        var value = mapping.Children[mergeKey];
        var sources = value switch
        {
            YamlMappingNode one => [one],
            YamlSequenceNode many when many.Children.All(c => c is YamlMappingNode) => many.Children.Cast<YamlMappingNode>().ToList(),
            _ => null,
        };
        if (sources is null)
        {
            var wrong = value is YamlSequenceNode list ? list.Children.First(c => c is not YamlMappingNode) : value;
            reader?.Error(wrong, $"{NotAMapping}; got {ValueReader.Describe(wrong)}");
        }

        var own = mapping.Children.Where(e => !ReferenceEquals(e.Key, mergeKey)).ToList();
        var taken = new HashSet<YamlNode>(own.Select(e => e.Key));
        var entries = new List<KeyValuePair<YamlNode, YamlNode>>();
        foreach (var entry in mapping.Children)
        {
            if (!ReferenceEquals(entry.Key, mergeKey))
            {
                entries.Add(entry);
                continue;
            }

            // The merged entries stand where the merge key stood, so keys keep the order they read in.
            foreach (var merged in (sources ?? []).SelectMany(s => s.Children))
            {
                if (taken.Add(merged.Key))
                {
                    entries.Add(merged);
                }
            }
        }

        mapping.Children.Clear();
        foreach (var (key, item) in entries)
        {
            mapping.Children.Add(key, item);
        }
    }

    private static bool IsMergeKey(YamlNode key) =>
        key is YamlScalarNode { Value: "<<" } scalar
        && (scalar.Tag.IsEmpty ? scalar.Style == ScalarStyle.Plain : !scalar.Tag.IsNonSpecific && scalar.Tag.Value == MergeTag);
}
