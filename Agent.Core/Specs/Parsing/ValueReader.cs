using System.Globalization;
using System.Text.RegularExpressions;
using GradientNode.Core.Common;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// Converts single YAML nodes to typed values, reporting a wrong type at the node. Numbers and booleans
/// must be plain (unquoted) scalars; booleans are YAML 1.2 core only (true/false, any case).
/// </summary>
internal static partial class ValueReader
{
    private const string PlaintextSecret = "must be a secret reference like secret:NAME; plaintext secrets are not accepted (store the value with gradient-node secrets set NAME, value on stdin, and write secret:NAME here)";

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    public static bool IsBlank(YamlNode node) =>
        IsNull(node) || node is YamlScalarNode { Value: var v } && string.IsNullOrWhiteSpace(v);

    /// <summary>How a node reads in "got …": the plain value quoted, or its kind.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s when IsNull(s) => "null",
        YamlScalarNode { Style: ScalarStyle.Plain } s => $"'{Shorten(s.Value ?? string.Empty)}'",
        YamlScalarNode s => $"the quoted string '{Shorten(s.Value ?? string.Empty)}'",
        _ => "an unsupported node",
    };

    public static string? String(SpecReader reader, YamlNode node, string field)
    {
        if (node is YamlScalarNode scalar)
        {
            return scalar.Value ?? string.Empty;
        }

        reader.Error(node, $"{field}: expected a string, got {Describe(node)}");
        return null;
    }

    public static int? Int(SpecReader reader, YamlNode node, string field)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text } && IntPattern().IsMatch(text))
        {
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            reader.Error(node, $"{field}: {text} is out of range");
            return null;
        }

        reader.Error(node, $"{field}: expected an integer, got {Describe(node)}{TypeHints.Integer(node, field)}");
        return null;
    }

    public static double? Number(SpecReader reader, YamlNode node, string field)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text } && NumberPattern().IsMatch(text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        reader.Error(node, $"{field}: expected a number, got {Describe(node)}{TypeHints.Number(node, field)}");
        return null;
    }

    public static bool? Bool(SpecReader reader, YamlNode node, string field)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text })
        {
            if (text is "true" or "True" or "TRUE")
            {
                return true;
            }

            if (text is "false" or "False" or "FALSE")
            {
                return false;
            }
        }

        reader.Error(node, $"{field}: expected true or false, got {Describe(node)}{TypeHints.Boolean(node)}");
        return null;
    }

    /// <summary>A field that takes only a reference; the message never echoes what was written.</summary>
    public static SecretRef? Secret(SpecReader reader, YamlNode node, string field)
    {
        if (node is not YamlScalarNode { Value: { } text })
        {
            reader.Error(node, $"{field}: expected a string, got {(node is YamlSequenceNode ? "a list" : "a mapping")}");
            return null;
        }

        if (!SecretRefParser.HasPrefix(text))
        {
            reader.Error(node, $"{field}: {PlaintextSecret}");
            return null;
        }

        return ParseReference(reader, node, field, text);
    }

    /// <summary>A literal, or a reference when the text starts with <c>secret:</c>.</summary>
    public static SpecValue? StringOrSecret(SpecReader reader, YamlNode node, string field)
    {
        var text = String(reader, node, field);
        if (text is null)
        {
            return null;
        }

        if (!SecretRefParser.HasPrefix(text))
        {
            return SpecValue.Of(text);
        }

        var secret = ParseReference(reader, node, field, text);
        return secret is null ? null : SpecValue.Of(secret);
    }

    public static EquatableArray<string>? StringList(SpecReader reader, YamlNode node, string field)
    {
        if (node is not YamlSequenceNode sequence)
        {
            reader.Error(node, $"{field}: expected a list of strings, got {Describe(node)}");
            return null;
        }

        var items = new List<string>();
        var ok = true;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var text = String(reader, sequence.Children[i], FieldPath.Item(field, i));
            ok &= text is not null;
            items.Add(text ?? string.Empty);
        }

        return ok ? new EquatableArray<string>(items) : (EquatableArray<string>?)null;
    }

    public static YamlMappingNode? Mapping(SpecReader reader, YamlNode node, string field)
    {
        if (node is YamlMappingNode mapping)
        {
            return mapping;
        }

        var hint = node is YamlScalarNode { Style: ScalarStyle.Plain, Value: "..." }
            ? " ('...' stands for fields left out in Gradient's docs: write them indented under the key, or remove the key)"
            : string.Empty;
        reader.Error(node, $"{field}: expected a mapping, got {Describe(node)}{hint}");
        return null;
    }

    public static YamlSequenceNode? Sequence(SpecReader reader, YamlNode node, string field)
    {
        if (node is YamlSequenceNode sequence)
        {
            return sequence;
        }

        reader.Error(node, $"{field}: expected a list, got {Describe(node)}");
        return null;
    }

    private static SecretRef? ParseReference(SpecReader reader, YamlNode node, string field, string text)
    {
        var secret = SecretRefParser.TryParse(text);
        if (secret is null)
        {
            reader.Error(node, $"{field}: malformed secret reference; {SecretRefParser.Rule}");
        }

        return secret;
    }

    public static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";

    [GeneratedRegex("^[-+]?[0-9]+\\z")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\z")]
    private static partial Regex NumberPattern();
}
