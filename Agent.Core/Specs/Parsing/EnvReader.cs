using GradientNode.Core.Common;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// <c>env: [{name, value}]</c>; names must be unique and non-empty, without <c>=</c>, whitespace or control characters; values may be
/// <c>secret:</c> references. The NVIDIA Container Toolkit's own variables are the node's (<see cref="NvidiaToolkitEnv"/>).
/// </summary>
internal static class EnvReader
{
    private static readonly string[] Keys = SpecShapes.Env.Keys;

    public static EquatableArray<EnvVarSpec> Read(SpecReader reader, YamlSequenceNode sequence, string field)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var items = ListReader.ReadMappings(reader, sequence, field, Keys, (item, index) =>
        {
            var name = item.String("name", required: true);
            var value = item.Value("value") is null ? SpecValue.Of(string.Empty) : item.StringOrSecret("value");
            if (name is null)
            {
                return null;
            }

            if (name.Contains('=', StringComparison.Ordinal) || name.Any(char.IsControl))
            {
                item.Error("name", "must not contain '=' or control characters (the container would see another variable)");
                return null;
            }

            if (name.Any(char.IsWhiteSpace))
            {
                // The engine passes 'MY VAR=x', but a shell (command: [/bin/sh, -c, …], as Gradient's own example starts)
                // drops a variable whose name it cannot hold, so the program never sees it; workflow env refuses it too.
                item.Error("name", "must not contain whitespace (a shell between the container's start and the program drops such a variable): write MY_VAR, not MY VAR");
                return null;
            }

            if (!seen.TryAdd(name, index))
            {
                item.Error("name", $"duplicate env name '{name}' (also {FieldPath.Item(field, seen[name])})");
                return null;
            }

            if (value?.Literal?.Contains('\0', StringComparison.Ordinal) == true)
            {
                // The engine cannot pass it (runc refuses the container at start); the value is not echoed.
                item.Error("value", "must not contain a NUL character (\\0)");
                return null;
            }

            if (value is not null && NvidiaToolkitEnv.Refusal(name, value.Literal) is { } refusal)
            {
                item.Error(value.IsSecret || name != NvidiaToolkitEnv.Capabilities ? "name" : "value", refusal);
                return null;
            }

            return value is null ? null : new EnvVarSpec(name, value);
        });
        return new EquatableArray<EnvVarSpec>(items);
    }
}
