using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>Collects every problem found in one file, each at a 1-based line and column.</summary>
internal sealed class SpecReader(string file)
{
    private readonly List<SpecError> _errors = [];
    private readonly List<MisspeltKey> _misspelt = [];

    public string File { get; } = file;

    /// <summary>The file's text, where the parser gave it: for positions inside a scalar (<see cref="ScalarPosition"/>).</summary>
    public string? Text { get; init; }

    public bool HasErrors => _errors.Count > 0;

    public int ErrorCount => _errors.Count;

    public void Error(Mark mark, string message) =>
        _errors.Add(new SpecError(File, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column), message));

    public void Error(int line, int column, string message) =>
        _errors.Add(new SpecError(File, Math.Max(1, line), Math.Max(1, column), message));

    public void Error(YamlNode node, string message) => Error(node.Start, message);

    public void Error(SpecError error) => _errors.Add(error);

    /// <summary>Unknown keys one edit away from a known key of their mapping (<see cref="MisspeltKeys"/>), in the order found.</summary>
    public IReadOnlyList<MisspeltKey> Misspelt => _misspelt;

    /// <summary>
    /// Keys to read as the known key they are one edit away from, by position (<see cref="MisspeltKeys.Recheck"/>): a
    /// <see cref="MappingReader"/> takes such a key as its meant one, without an error, so its children are checked.
    /// </summary>
    public IReadOnlyDictionary<(long Line, long Column), MisspeltKey>? ReadAs { get; init; }

    public void NoteMisspelt(MisspeltKey key) => _misspelt.Add(key);

    /// <summary>
    /// Errors sorted by line, then column; ties keep the order they were found in. The copies an anchor makes of one error
    /// (one per place that uses it) are reported once, naming the places (<see cref="AnchorErrors"/>).
    /// </summary>
    public IReadOnlyList<SpecError> SortedErrors() =>
        [.. AnchorErrors.Fold(_errors).OrderBy(e => e.Line).ThenBy(e => e.Column)];
}
