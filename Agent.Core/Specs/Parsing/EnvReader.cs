using GradientNode.Core.Common;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// <c>env: [{name, value}]</c>; names must be unique and non-empty, without <c>=</c>, whitespace or control characters; values may be
/// <c>secret:</c> references, never <c>${{ }}</c> expressions (<see cref="ExpressionProblem"/>). The NVIDIA Container Toolkit's own variables are the node's (<see cref="NvidiaToolkitEnv"/>).
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

            if (value is { IsSecret: false, Literal: { } literal } && item.Value("value") is { } valueNode && ExpressionProblem(literal) is { } expression)
            {
                item.Reader.Error(ScalarPosition.Of(item.Reader, valueNode, expression.Text), $"{item.Field("value")}: {expression.Problem}");
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

    /// <summary>
    /// A value wholly a <c>${{ }}</c> expression, or one holding <c>${{ secrets.NAME }}</c>: a spec has no expressions
    /// (GRADIENT-SEMANTICS §9.4), so the container would get the text as written (a token that is not one). Other
    /// <c>${{</c> text inside a longer value (a template the application reads) is left alone.
    /// </summary>
    private static (string Text, string Problem)? ExpressionProblem(string value)
    {
        const string NoExpressions = "a spec has no ${{ }} expressions";
        var all = Expressions.In(value).ToList();
        if (all is [var only] && only.Text.Length == value.Trim().Length)
        {
            var written = $"'{ValueReader.Shorten(only.Text)}' would reach the container as written: {NoExpressions}";
            return (only.Text, Expressions.SecretName(only.Inner) is { } name ? $"{written}; a secret is written secret:{name}" : written);
        }

        return all.FirstOrDefault(e => Expressions.SecretName(e.Inner) is not null) is { Text.Length: > 0 } secret
            ? (secret.Text, $"'{ValueReader.Shorten(secret.Text)}' in it would reach the container as written: {NoExpressions}; a secret is a whole env value, "
                + $"secret:{Expressions.SecretName(secret.Inner)}; build the longer text in the container, from ${Expressions.SecretName(secret.Inner)} in a shell")
            : null;
    }
}
