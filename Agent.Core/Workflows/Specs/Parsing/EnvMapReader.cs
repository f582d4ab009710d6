using GradientNode.Core.Common;
using GradientNode.Core.Specs;
using GradientNode.Core.Specs.Parsing;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Workflows.Specs.Parsing;

/// <summary>
/// A workflow <c>env</c>: a map <c>KEY: value</c> (not the deployments' list of <c>{name, value}</c>). Values are
/// scalars read as text (<c>50</c> is "50"); a null value is the empty string; <c>secret:</c> references are allowed; a
/// value written wholly as a <c>${{ }}</c> expression, or holding one that names a secret, an input or a job's output, is
/// an error (<see cref="ExpressionLookalike"/>).
/// The NVIDIA Container Toolkit's own variables are the node's (<see cref="NvidiaToolkitEnv"/>).
/// </summary>
internal static class EnvMapReader
{
    public static EquatableArray<EnvVarSpec>? Read(MappingReader block, string key)
    {
        if (block.Value(key) is not { } node)
        {
            return EquatableArray<EnvVarSpec>.Empty;
        }

        var field = block.Field(key);
        var reader = block.Reader;
        if (node is not YamlMappingNode mapping)
        {
            var hint = node is YamlSequenceNode ? " (workflow env is a map KEY: value, not a list of {name, value})" : string.Empty;
            reader.Error(node, $"{field}: expected a mapping, got {ValueReader.Describe(node)}{hint}");
            return null;
        }

        var errors = reader.ErrorCount;
        var items = new List<EnvVarSpec>();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } name } || name.Length == 0)
            {
                reader.Error(keyNode, $"{field}: keys must be non-empty strings");
                continue;
            }

            var path = FieldPath.Child(field, ValueReader.Shorten(name));
            if (name.Contains('=', StringComparison.Ordinal) || name.Any(char.IsControl) || name.Any(char.IsWhiteSpace))
            {
                reader.Error(keyNode, $"{path}: env names must not contain '=', whitespace or control characters");
                continue;
            }

            var value = ValueReader.IsNull(valueNode) ? SpecValue.Of(string.Empty) : ValueReader.StringOrSecret(reader, valueNode, path);
            if (value is { IsSecret: false } && ExpressionLookalike.EnvProblem(value.Literal ?? string.Empty) is { } expression)
            {
                reader.Error(valueNode, $"{path}: {expression}");
            }
            else if (value is { IsSecret: false } && ExpressionLookalike.Embedded(value.Literal ?? string.Empty, ExpressionLookalike.Use.Env) is { } embedded)
            {
                reader.Error(ScalarPosition.Of(reader, valueNode, embedded.Text), $"{path}: {embedded.Problem}");
            }
            else if (value is { IsSecret: false } && ArgumentLength.EnvProblem(name, value.Literal ?? string.Empty) is { } tooLong)
            {
                reader.Error(valueNode, $"{path}: {tooLong}");
            }
            else if (value is not null && NvidiaToolkitEnv.Refusal(name, value.Literal) is { } refusal)
            {
                reader.Error(value.IsSecret || name != NvidiaToolkitEnv.Capabilities ? keyNode : valueNode, $"{path}: {refusal}");
            }
            else if (value is not null)
            {
                items.Add(new EnvVarSpec(name, value));
            }
        }

        return reader.ErrorCount == errors ? new EquatableArray<EnvVarSpec>(items) : (EquatableArray<EnvVarSpec>?)null;
    }
}
