using System.Text;
using k8s;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GradientNode.Core.Export;

/// <summary>
/// Serializes exported objects with the KubernetesClient package's <see cref="KubernetesYaml"/> (the API's field names,
/// quantities and int-or-strings as the API writes them, nulls omitted): one YAML document each, its comments above it.
/// </summary>
public static class ManifestWriter
{
    /// <summary>One document: comment lines, then the object.</summary>
    public static string Document(ExportDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var text = new StringBuilder();
        foreach (var comment in document.Comments)
        {
            text.Append("# ").AppendLine(comment.ReplaceLineEndings(" "));
        }

        text.Append(LiteralBlocks(KubernetesYaml.Serialize(document.Body)));
        return text.ToString();
    }

    /// <summary>A multi-document stream: each document starts with <c>---</c>.</summary>
    public static string Stream(IEnumerable<ExportDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var text = new StringBuilder();
        foreach (var document in documents)
        {
            text.AppendLine("---").Append(Document(document));
        }

        return text.ToString();
    }

    /// <summary>
    /// The same YAML with every multi-line string (a script, a shell command) as a literal block, so it reads as it
    /// was written: KubernetesYaml quotes them with escapes. Only the scalar style changes, never a value.
    /// </summary>
    private static string LiteralBlocks(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        using var output = new StringWriter();
        var emitter = new Emitter(output);
        while (parser.MoveNext())
        {
            var current = parser.Current!;
            if (current is Scalar { Style: not ScalarStyle.Plain } scalar && scalar.Value.Contains('\n', StringComparison.Ordinal))
            {
                current = new Scalar(scalar.Anchor, scalar.Tag, scalar.Value, ScalarStyle.Literal, scalar.IsPlainImplicit, scalar.IsQuotedImplicit);
            }

            emitter.Emit(current);
        }

        return output.ToString();
    }
}
