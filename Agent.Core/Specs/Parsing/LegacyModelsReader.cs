using GradientNode.Core.Common;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>Legacy <c>models: [{id, path = /opt/models}]</c>.</summary>
internal static class LegacyModelsReader
{
    private static readonly string[] Keys = SpecShapes.LegacyModel.Keys;

    public static EquatableArray<ModelSpec> Read(SpecReader reader, YamlSequenceNode sequence, string field)
    {
        var items = ListReader.ReadMappings(reader, sequence, field, Keys, (item, _) =>
        {
            var id = item.String("id", required: true);
            if (id is not null && StoreNames.CheckModelId(id) is { } badId)
            {
                item.Error("id", badId);
                return null;
            }

            var path = item.String("path") ?? IntegrationSpec.DefaultModelPath;
            if (PathRules.Check(path) is { } problem)
            {
                item.Error("path", problem);
                return null;
            }

            return id is null ? null : new ModelSpec(id, path);
        });
        return new EquatableArray<ModelSpec>(items);
    }
}
