using GradientNode.Core.Common;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// <c>resources</c>: v1 <c>{machineType, ports, replicas = 1, autoscaling?}</c>;
/// legacy <c>{instanceType, replicas = 1, autoscaling?}</c> with the port from the top-level <c>port</c>.
/// </summary>
internal static class ResourcesReader
{
    private const string Field = "resources";

    private static readonly string[] CurrentKeys = SpecShapes.CurrentResources.Keys;
    private static readonly string[] LegacyKeys = SpecShapes.LegacyResources.Keys;

    private static readonly Dictionary<string, string> CurrentOnly = new()
    {
        ["machineType"] = "it belongs to apiVersion v1; legacy specs use instanceType",
        ["ports"] = "it belongs to apiVersion v1; legacy specs use the top-level port",
    };

    private static readonly Dictionary<string, string> LegacyOnly = new()
    {
        ["instanceType"] = "it belongs to the legacy apiVersion v0alpha0; v1 uses machineType",
    };

    public static ResourcesSpec? Read(SpecReader reader, YamlMappingNode node, SpecDialect dialect, int legacyPort)
    {
        var legacy = dialect == SpecDialect.Legacy;
        var block = new MappingReader(reader, node, Field, legacy ? LegacyKeys : CurrentKeys, legacy ? CurrentOnly : LegacyOnly);
        var errors = reader.ErrorCount;
        var machineType = block.String(legacy ? "instanceType" : "machineType", required: true);
        var ports = legacy ? new EquatableArray<int>([legacyPort]) : ReadPorts(block);
        var replicas = block.Int("replicas");
        if (replicas < 0)
        {
            block.Error("replicas", $"must be at least 0, got {replicas}");
        }
        else if (replicas > ResourcesSpec.MaxReplicas)
        {
            block.Error("replicas", ResourcesSpec.TooMany(replicas.Value));
        }

        var autoscaling = block.Mapping("autoscaling") is { } autoscalingNode
            ? AutoscalingReader.Read(reader, autoscalingNode, block.Field("autoscaling"), replicas ?? ResourcesSpec.DefaultReplicas, block.At("replicas"))
            : null;
        return machineType is null || ports is null || reader.ErrorCount != errors
            ? null
            : new ResourcesSpec(machineType, ports.Value, replicas ?? ResourcesSpec.DefaultReplicas, autoscaling);
    }

    private static EquatableArray<int>? ReadPorts(MappingReader block)
    {
        if (block.Sequence("ports", required: true) is not { } sequence)
        {
            return null;
        }

        if (sequence.Children.Count == 0)
        {
            block.Error("ports", "must list at least one port");
            return null;
        }

        var ports = new List<int>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = sequence.Children[i];
            var field = FieldPath.Item(block.Field("ports"), i);
            if (ValueReader.Int(block.Reader, item, field) is not { } port)
            {
                continue;
            }

            if (PortRule.Check(port) is { } problem)
            {
                block.Reader.Error(item, $"{field}: {problem}");
            }
            else if (ports.Contains(port))
            {
                block.Reader.Error(item, $"{field}: duplicate port {port}");
            }

            ports.Add(port);
        }

        return new EquatableArray<int>(ports);
    }
}
