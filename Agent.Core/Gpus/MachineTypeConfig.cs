using System.Globalization;
using GradientNode.Core.Common;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Gpus;

/// <summary>
/// Reads node.yaml's <c>machineTypes</c> (overrides and additions; fields left out keep the built-in values) and
/// <c>gpuModelMustMatch</c>. Errors throw <see cref="FormatException"/> with <c>file:line:column</c>. The file is read as
/// node.yaml is (<see cref="BoundedText"/>): at most the YAML guard's limit plus one character is held, and a file that is
/// too large or not UTF-8 is refused at its line and column, never read whole.
/// </summary>
public static class MachineTypeConfig
{
    private static readonly string[] Fields = ["gpus", "gpuModel", "cpus", "memoryGiB"];

    public static MachineTypeTable Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string? text;
        try
        {
            text = ConfigFileText.Read(path, Specs.Parsing.YamlGuard.MaxChars);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"config file {ex.Message}", ex);
        }

        if (text is null)
        {
            return MachineTypeTable.BuiltIn;
        }

        return Parse(text, path);
    }

    public static MachineTypeTable Parse(string yaml, string path)
    {
        if (Specs.Parsing.YamlGuard.Check(yaml) is { } limit)
        {
            throw new FormatException($"{path}:{limit.Line}:{limit.Column}: {limit.Message}");
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new FormatException($"{path}:{ex.Start.Line}:{ex.Start.Column}: {ex.Message}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return MachineTypeTable.BuiltIn;
        }

        var mustMatch = false;
        var types = new List<MachineType>();
        foreach (var (key, value) in root.Children)
        {
            switch (Scalar(key, path))
            {
                case "gpuModelMustMatch":
                    mustMatch = Scalar(value, path) is "true" or "yes" or "on" ? true
                        : Scalar(value, path) is "false" or "no" or "off" ? false
                        : throw Error(value, path, "gpuModelMustMatch wants true or false");
                    break;
                case "machineTypes":
                    types.AddRange(ReadTypes(value as YamlMappingNode ?? throw Error(value, path, "machineTypes wants a mapping of type name to {gpus, gpuModel, cpus, memoryGiB}"), path));
                    break;
            }
        }

        return MachineTypeTable.BuiltIn.With(types, mustMatch);
    }

    private static IEnumerable<MachineType> ReadTypes(YamlMappingNode map, string path)
    {
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var name = Scalar(keyNode, path);
            if (valueNode is not YamlMappingNode fields)
            {
                throw Error(valueNode, path, $"machineTypes.{name} wants a mapping with {string.Join(", ", Fields)}");
            }

            var type = MachineTypeTable.BuiltIn.Find(name) ?? new MachineType(name, 0, null, 1, 1024L * 1024 * 1024);
            type = type with { Name = name };
            foreach (var (fieldKey, fieldValue) in fields.Children)
            {
                var field = Scalar(fieldKey, path);
                var text = Scalar(fieldValue, path);
                type = field switch
                {
                    "gpus" => type with { Gpus = Number(text, fieldValue, path, field) is var g && g >= 0 && g == Math.Floor(g) ? (int)g : throw Error(fieldValue, path, "gpus wants a whole number ≥ 0") },
                    "gpuModel" => type with { GpuModel = string.IsNullOrWhiteSpace(text) ? null : text },
                    "cpus" => type with { Cpus = Number(text, fieldValue, path, field) is var c && c > 0 ? c : throw Error(fieldValue, path, "cpus wants a number > 0") },
                    "memoryGiB" => type with { MemoryBytes = Number(text, fieldValue, path, field) is var m && m > 0 ? (long)(m * 1024 * 1024 * 1024) : throw Error(fieldValue, path, "memoryGiB wants a number > 0") },
                    _ => throw Error(fieldKey, path, $"unknown field '{field}' in machineTypes.{name} (known: {string.Join(", ", Fields)})"),
                };
            }

            yield return type;
        }
    }

    private static double Number(string text, YamlNode node, string path, string field) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : throw Error(node, path, $"{field} wants a number, got '{text}'");

    private static string Scalar(YamlNode node, string path) =>
        node is YamlScalarNode { Value: { } value } ? value : throw Error(node, path, "expected a plain value");

    private static FormatException Error(YamlNode node, string path, string message) =>
        new($"{path}:{node.Start.Line}:{node.Start.Column}: {message}");
}
