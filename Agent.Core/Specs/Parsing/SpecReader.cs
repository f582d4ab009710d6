using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>Collects every problem found in one file, each at a 1-based line and column.</summary>
internal sealed class SpecReader(string file)
{
    private readonly List<SpecError> _errors = [];

    public string File { get; } = file;

    public bool HasErrors => _errors.Count > 0;

    public int ErrorCount => _errors.Count;

    public void Error(Mark mark, string message) =>
        _errors.Add(new SpecError(File, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column), message));

    public void Error(int line, int column, string message) =>
        _errors.Add(new SpecError(File, Math.Max(1, line), Math.Max(1, column), message));

    public void Error(YamlNode node, string message) => Error(node.Start, message);

    /// <summary>Errors sorted by line, then column; ties keep the order they were found in.</summary>
    public IReadOnlyList<SpecError> SortedErrors() =>
        [.. _errors.OrderBy(e => e.Line).ThenBy(e => e.Column)];
}
