using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Workflows.Runs;

/// <summary>
/// A run's <c>--inputs</c>: Gradient's <c>{"inputs": {"data": {"id": "test-one"}, "echo": {"value": "hello"}}}</c>,
/// as JSON or the same in YAML. Each input's object is its <c>with</c> (a dataset's <c>ref</c>/<c>id</c>, a string's <c>value</c>).
/// </summary>
public static class RunInputs
{
    public const int MaxChars = 256 * 1024;

    /// <summary>The inputs by name, or the problems found (each naming its path).</summary>
    public static (Dictionary<string, Dictionary<string, string>> Inputs, List<string> Errors) Parse(string? text)
    {
        var inputs = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return (inputs, errors);
        }

        if (text.Length > MaxChars)
        {
            errors.Add($"inputs: at most {MaxChars} characters");
            return (inputs, errors);
        }

        YamlNode? root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            root = stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
        }
        catch (YamlException ex)
        {
            errors.Add($"inputs:{ex.Start.Line}:{ex.Start.Column}: not JSON or YAML: {ex.InnerException?.Message ?? ex.Message}");
            return (inputs, errors);
        }

        if (root is not YamlMappingNode top || !top.Children.TryGetValue(new YamlScalarNode("inputs"), out var list) || list is not YamlMappingNode named)
        {
            errors.Add("inputs: expected {\"inputs\": {NAME: {\"ref\"|\"id\"|\"value\": ...}}}");
            return (inputs, errors);
        }

        foreach (var (key, value) in named.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? string.Empty;
            if (value is not YamlMappingNode with)
            {
                errors.Add($"inputs.{name}: must be an object such as {{\"ref\": \"NAME\"}} or {{\"value\": \"text\"}}");
                continue;
            }

            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in with.Children)
            {
                var field = (k as YamlScalarNode)?.Value ?? string.Empty;
                if (v is YamlScalarNode { Value: { } scalar })
                {
                    fields[field] = scalar;
                }
                else
                {
                    errors.Add($"inputs.{name}.{field}: must be a string");
                }
            }

            inputs[name] = fields;
        }

        return (inputs, errors);
    }
}
