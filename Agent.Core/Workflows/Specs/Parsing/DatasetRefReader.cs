using GradientNode.Core.Datasets;
using GradientNode.Core.Specs.Parsing;

namespace GradientNode.Core.Workflows.Specs.Parsing;

/// <summary>
/// <c>with.ref</c> (or the older <c>with.id</c>) of a dataset: <c>NAME</c>, <c>NAME:VERSION</c> or <c>NAME:TAG</c>
/// as written; the dataset store resolves it when a run starts. Only the shape is checked here: the dataset
/// store's reference rules (<see cref="DatasetReference"/>), and for an output (<paramref name="output"/>) a bare
/// name, since its new version gets an id of its own. An input's reference that looks like a job's output or a workflow
/// input (<see cref="ReferenceLookalike"/>) is refused with the alias syntax to use instead.
/// </summary>
internal static class DatasetRefReader
{
    public static string? Read(MappingReader with, bool required, bool output = false)
    {
        if (with.Has("ref") && with.Has("id"))
        {
            with.Error("id", "give ref or id, not both (id is the older spelling of ref)");
            return null;
        }

        var key = with.Has("id") ? "id" : "ref";
        if (with.Value(key) is null)
        {
            if (required)
            {
                with.Missing("ref");
            }

            return null;
        }

        var text = PlainValues.String(with, key);
        if (text is null)
        {
            return null;
        }

        // job-1.outputs.foo is a valid dataset name, and ${{ job-1.outputs.foo }} would only get the shape's words: both get the alias syntax.
        if (!output && ReferenceLookalike.Of(text) is { } alias)
        {
            with.Error(key, ReferenceLookalike.DatasetRefHint(text, alias));
            return null;
        }

        if (text.Length == 0 || TextRules.Unsafe(text) is not null || text.Length > 256)
        {
            with.Error(key, output
                ? "must be the name of the dataset its new version goes to: a letter, then letters, digits, '_', '-' or '.' (at most 128)"
                : "must be a dataset reference like NAME, NAME:VERSION or NAME:TAG (no whitespace, not starting with '-', at most 256 characters)");
            return null;
        }

        if (Problem(text, output) is { } problem)
        {
            with.Error(key, problem);
            return null;
        }

        return text;
    }

    private static string? Problem(string text, bool output)
    {
        if (output && text.Contains(':', StringComparison.Ordinal))
        {
            return $"an output names the dataset its new version goes to, not a version or tag: write '{DatasetReference.Printable(text[..text.IndexOf(':', StringComparison.Ordinal)])}'";
        }

        try
        {
            DatasetReference.Parse(text);
            return null;
        }
        catch (DatasetException e)
        {
            return e.Message;
        }
    }
}
