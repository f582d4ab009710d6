namespace GradientNode.Core.Specs;

/// <summary>Where something was written in a spec file (1-based line and column), to head a later message about it.</summary>
public sealed record SpecPosition(string File, int Line, int Column)
{
    /// <summary>The message as a spec error at this position: <c>file:line:col: message</c>.</summary>
    public SpecError Error(string message) => new(File, Line, Column, message);

    public override string ToString() => $"{File}:{Line}:{Column}";
}
