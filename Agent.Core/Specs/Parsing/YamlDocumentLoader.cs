using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>Loads the single YAML (or JSON) document of a spec file, turning syntax errors into located messages.</summary>
internal static partial class YamlDocumentLoader
{
    /// <param name="emptyMessage">What an empty file (nothing, or only comments) is told: a deployment spec's by default.</param>
    public static YamlMappingNode? Load(SpecReader reader, string text, string emptyMessage = "the spec is empty; expected a mapping with at least image and resources")
    {
        if (YamlGuard.Check(text) is { } limit)
        {
            reader.Error(limit.Line, limit.Column, limit.Message);
            return null;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var cause = e.InnerException as YamlException ?? e;
            if (TabIndentation.IsTabError(cause.Message) && TabIndentation.Find(text, Math.Min(e.Start.Line, cause.Start.Line)) is { } tab)
            {
                // YamlDotNet points at the scalar or mapping before the tab (often 1:1); the tab is what to fix.
                reader.Error(tab.Line, tab.Column, TabIndentation.Message);
            }
            else
            {
                reader.Error(e.Start, $"invalid YAML: {Readable(cause, LineAt(text, e.Start.Line), e.Start.Column, BlockScalarComment.HintFor(text, e.Start.Line))}");
            }

            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            reader.Error(YamlStopMark.Find(text), YamlStopMark.Message);
            return null;
        }

        // A document with nothing in it (a file ending in '---', as files joined by tools often do) holds no spec: it is
        // skipped rather than counted. Before, such a file was refused as two documents, at a line past its end.
        var documents = stream.Documents.Where(d => !IsEmpty(d.RootNode)).ToList();
        if (documents.Count == 0 || ValueReader.IsNull(documents[0].RootNode))
        {
            reader.Error(new Mark(), emptyMessage);
            return null;
        }

        if (documents.Count > 1)
        {
            reader.Error(documents[1].RootNode, MoreThanOneDocument);
        }

        if (documents[0].RootNode is not YamlMappingNode root)
        {
            reader.Error(new Mark(), $"the spec must be a mapping, got {ValueReader.Describe(documents[0].RootNode)}");
            return null;
        }

        MergeKeys.Apply(root, reader);
        ExtensionFields.Drop(root);
        return root;
    }

    /// <summary>What a second document in a file is told.</summary>
    public const string MoreThanOneDocument = "expected a single YAML document, found more than one (a file holds one spec: move each document after a '---' line to a file of its own)";

    /// <summary>A document that holds nothing: no value, tag or anchor after its '---'.</summary>
    private static bool IsEmpty(YamlNode root) =>
        root is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" } scalar && scalar.Tag.IsEmpty && scalar.Anchor.IsEmpty;

    /// <summary>
    /// YamlDotNet's text, lowercased at the start and without the final period, with what usually causes the
    /// messages that name no cause: a line indented out of step with its mapping, an unquoted value holding ': ', and a
    /// quoted value left open or ended early (<see cref="QuotedScalarHints"/>).
    /// </summary>
    private static string Readable(YamlException e, string line, long column, string? commentHint)
    {
        var message = e.Message.Trim().TrimEnd('.');
        if (message.Length == 0)
        {
            return "syntax error";
        }

        message = char.ToLowerInvariant(message[0]) + message[1..];
        if (message.StartsWith("duplicate key ", StringComparison.Ordinal))
        {
            // YamlDotNet's "Duplicate key image" reads as a key named "key image".
            return $"duplicate key '{message["duplicate key ".Length..]}': a mapping holds each key once, so keep one of the two";
        }

        if (message.Contains("did not find expected ", StringComparison.Ordinal) && commentHint is not null)
        {
            return $"{message} {commentHint}";
        }

        if (QuotedScalarHints.For(message, line, column) is { } quoteHint)
        {
            return $"{message} {quoteHint}";
        }

        if (message.Contains("did not find expected key", StringComparison.Ordinal))
        {
            // A '- ' item among a mapping's keys (Gradient's flattened docs page for repositories, seed 002): the line
            // is not out of step, a list stands where a key should.
            if (line.TrimStart(' ') is "-" || line.TrimStart(' ').StartsWith("- ", StringComparison.Ordinal))
            {
                return $"{message} (this line is a list item where a key was expected: a list goes under its key, e.g. 'repositories:' with the '- …' lines indented below it)";
            }

            return $"{message} (this line is indented out of step with the keys above it: the keys of one mapping start in the same column)";
        }

        if (!message.Contains("found invalid mapping", StringComparison.Ordinal) && !message.Contains("mapping values are not allowed", StringComparison.Ordinal))
        {
            return message;
        }

        // `value: secret:` or `value: secret: NAME` is a secret reference written with a space or no name: YAML reads a
        // second mapping there, and the general hint would send the author to quote what is not a text at all.
        return SecretReferenceWithSpace().IsMatch(line)
            ? $"{message} (a secret reference is written secret:NAME, the name right after the colon with no space)"
            : $"{message} (a value that holds ': ' must be quoted, or this line is indented deeper than the key above it)";
    }

    /// <summary>The text of 1-based line <paramref name="number"/> of <paramref name="text"/>, or empty past its end.</summary>
    private static string LineAt(string text, long number)
    {
        using var lines = new StringReader(text);
        for (var i = 1L; lines.ReadLine() is { } line; i++)
        {
            if (i == number)
            {
                return line;
            }
        }

        return "";
    }

    [GeneratedRegex(@":\s+secret:(\s|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretReferenceWithSpace();
}
