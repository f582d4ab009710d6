namespace GradientNode.Core.Specs;

/// <summary>One problem in a spec file, printed as <c>file:line:col: message</c> (1-based line and column).</summary>
public sealed record SpecError(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}
