namespace GradientNode.Core.Specs;

/// <summary>One <c>env</c> entry: <c>{name, value}</c>; the value may be a <c>secret:</c> reference.</summary>
public sealed record EnvVarSpec(string Name, SpecValue Value);
