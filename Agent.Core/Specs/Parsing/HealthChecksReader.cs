using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Specs.Parsing;

/// <summary><c>healthChecks: {liveness?, readiness?, startup?}</c>.</summary>
internal static class HealthChecksReader
{
    private static readonly string[] Keys = SpecShapes.HealthChecks.Keys;

    public static HealthChecksSpec? Read(SpecReader reader, YamlMappingNode node, string field)
    {
        var block = new MappingReader(reader, node, field, Keys);
        var errors = reader.ErrorCount;
        var liveness = ReadProbe(block, "liveness");
        var readiness = ReadProbe(block, "readiness");
        var startup = ReadProbe(block, "startup");
        return reader.ErrorCount == errors ? new HealthChecksSpec(liveness, readiness, startup) : null;
    }

    private static ProbeSpec? ReadProbe(MappingReader block, string key) =>
        block.Value(key) is { } node ? ProbeReader.Read(block.Reader, node, block.Field(key)) : null;
}
