using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>Walks a list of mappings, giving each item a <see cref="MappingReader"/> and its field path.</summary>
internal static class ListReader
{
    public static List<T> ReadMappings<T>(
        SpecReader reader,
        YamlSequenceNode sequence,
        string field,
        IReadOnlyCollection<string> known,
        Func<MappingReader, int, T?> readItem)
        where T : class
    {
        var items = new List<T>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var path = FieldPath.Item(field, i);
            if (ValueReader.Mapping(reader, sequence.Children[i], path) is not { } mapping)
            {
                continue;
            }

            if (readItem(new MappingReader(reader, mapping, path, known), i) is { } item)
            {
                items.Add(item);
            }
        }

        return items;
    }
}
