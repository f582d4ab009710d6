using GradientNode.Core.Common;
using GradientNode.Core.Specs.Parsing;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Workflows.Specs.Parsing;

/// <summary>
/// Strings that must not be <c>secret:</c> references: only env values and the credential fields of
/// git-checkout@v1 and s3-download@v1 take secrets (a secret in args or a script would reach a process's
/// argv or a file). The message never echoes the value.
/// </summary>
internal static class PlainValues
{
    public const string SecretNotAllowed =
        "secret references are allowed only in env values and in credential fields (git-checkout@v1 username and password, s3-download@v1 access-key and secret-access-key)";

    public static string? String(MappingReader block, string key, bool required = false)
    {
        var text = block.String(key, required);
        if (text is not null && SecretRefParser.HasPrefix(text))
        {
            block.Error(key, SecretNotAllowed);
            return null;
        }

        return text;
    }

    public static string? Check(SpecReader reader, YamlNode node, string field, string? text)
    {
        if (text is not null && SecretRefParser.HasPrefix(text))
        {
            reader.Error(node, $"{field}: {SecretNotAllowed}");
            return null;
        }

        return text;
    }

    /// <summary>
    /// A list of plain strings (a single string is a list of one when <paramref name="single"/>); each one a process's
    /// argument when <paramref name="arguments"/> (<see cref="ExpressionLookalike"/>, <see cref="ArgumentLength"/>).
    /// </summary>
    public static EquatableArray<string>? List(MappingReader block, string key, bool single = false, bool arguments = false)
    {
        if (block.Value(key) is not { } node)
        {
            return null;
        }

        var field = block.Field(key);
        if (single && node is YamlScalarNode scalar)
        {
            return Argument(block.Reader, node, field, Check(block.Reader, node, field, scalar.Value), arguments) is { } one ? new EquatableArray<string>([one]) : (EquatableArray<string>?)null;
        }

        if (node is not YamlSequenceNode sequence)
        {
            block.Reader.Error(node, $"{field}: expected a list of strings, got {ValueReader.Describe(node)}");
            return null;
        }

        var items = new List<string>();
        var ok = true;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = sequence.Children[i];
            var path = FieldPath.Item(field, i);
            var text = item is YamlScalarNode { Value: var v } ? Argument(block.Reader, item, path, Check(block.Reader, item, path, v ?? string.Empty), arguments) : Fail(block.Reader, item, path);
            ok &= text is not null;
            items.Add(text ?? string.Empty);
        }

        return ok ? new EquatableArray<string>(items) : (EquatableArray<string>?)null;
    }

    private static string? Argument(SpecReader reader, YamlNode node, string field, string? text, bool arguments)
    {
        if (arguments && text is not null && (ExpressionLookalike.ArgumentProblem(text) ?? ArgumentLength.ArgumentProblem(text)) is { } problem)
        {
            reader.Error(node, $"{field}: {problem}");
            return null;
        }

        return arguments ? Embedded(reader, node, field, text, ExpressionLookalike.Use.Argument) : text;
    }

    /// <summary><paramref name="text"/>, or null after an error at a <c>${{ }}</c> inside it that names what a workflow has (<see cref="ExpressionLookalike.Embedded"/>).</summary>
    public static string? Embedded(SpecReader reader, YamlNode node, string field, string? text, ExpressionLookalike.Use use)
    {
        if (text is not null && ExpressionLookalike.Embedded(text, use) is { } embedded)
        {
            reader.Error(ScalarPosition.Of(reader, node, embedded.Text), $"{field}: {embedded.Problem}");
            return null;
        }

        return text;
    }

    private static string? Fail(SpecReader reader, YamlNode node, string field)
    {
        // GRADIENT-SEMANTICS §9.7: a bare '-' item (an argument meaning stdin) must be quoted; '- -' is a list holding null.
        var hint = node switch
        {
            YamlMappingNode => " (quote an item that holds ': ')",
            YamlSequenceNode { Style: YamlDotNet.Core.Events.SequenceStyle.Block } => " (an item written '- -' or '- - x' is a list in YAML: quote it, e.g. - '-')",
            _ => string.Empty,
        };
        reader.Error(node, $"{field}: must be a string, got {ValueReader.Describe(node)}{hint}");
        return null;
    }
}
