namespace GradientNode.Core.Specs.Parsing;

/// <summary>Where YAML text breaks one of <see cref="YamlGuard"/>'s limits (1-based line and column), and which.</summary>
public sealed record YamlLimitError(int Line, int Column, string Message);
