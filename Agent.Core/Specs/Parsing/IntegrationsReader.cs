using GradientNode.Core.Common;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// <c>integrations</c> (v1 only, at most 5): each entry's keys depend on its <c>type</c>; names and
/// mount paths (<c>path/name</c>) must be unique.
/// </summary>
internal static class IntegrationsReader
{
    public const int MaxIntegrations = 5;

    public static EquatableArray<IntegrationSpec> Read(SpecReader reader, YamlSequenceNode sequence, string field)
    {
        if (sequence.Children.Count > MaxIntegrations)
        {
            reader.Error(sequence.Children[MaxIntegrations],
                $"{field}: at most {MaxIntegrations} integrations are allowed, got {sequence.Children.Count}");
        }

        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var mounts = new Dictionary<string, int>(StringComparer.Ordinal);
        var items = new List<IntegrationSpec>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var path = FieldPath.Item(field, i);
            if (ValueReader.Mapping(reader, sequence.Children[i], path) is not { } mapping
                || IntegrationReader.Read(reader, mapping, path) is not { } integration)
            {
                continue;
            }

            if (!names.TryAdd(integration.Name, i))
            {
                reader.Error(KeyValue(mapping, "name"), $"{path}.name: duplicate integration name '{integration.Name}' (also {FieldPath.Item(field, names[integration.Name])})");
            }
            else if (integration.MountPath is { } mount && !mounts.TryAdd(mount, i))
            {
                reader.Error(KeyValue(mapping, "path"),
                    $"{path}.path: mount path '{mount}' is already used by {FieldPath.Item(field, mounts[mount])}");
            }
            else if (integration.MountPath is { } nested && mounts.FirstOrDefault(m => m.Value != i && PathRules.Overlap(m.Key, nested)) is { Key: not null } other)
            {
                reader.Error(KeyValue(mapping, "path"),
                    $"{path}.path: mount path '{nested}' overlaps '{other.Key}' of {FieldPath.Item(field, other.Value)}");
            }

            items.Add(integration);
        }

        return new EquatableArray<IntegrationSpec>(items);
    }

    private static YamlNode KeyValue(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : mapping;
}
