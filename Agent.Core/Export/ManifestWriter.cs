using System.Text;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace GradientNode.Core.Export;

/// <summary>Serializes exported objects with YamlDotNet: one YAML document each, its comments above it.</summary>
public static class ManifestWriter
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .WithQuotingNecessaryStrings()
        .DisableAliases()
        .WithEventEmitter(next => new LiteralMultilineEmitter(next))
        .Build();

    /// <summary>One document: comment lines, then the object.</summary>
    public static string Document(ExportDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var text = new StringBuilder();
        foreach (var comment in document.Comments)
        {
            text.Append("# ").AppendLine(comment.ReplaceLineEndings(" "));
        }

        text.Append(Serializer.Serialize(document.Body));
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
}
