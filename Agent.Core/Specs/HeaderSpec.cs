namespace GradientNode.Core.Specs;

/// <summary>A header a probe sends: <c>{name, value}</c>.</summary>
public sealed record HeaderSpec(string Name, string Value);
