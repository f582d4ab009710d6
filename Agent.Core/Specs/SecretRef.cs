namespace GradientNode.Core.Specs;

/// <summary>A reference written as <c>secret:NAME</c> (or <c>secret:ephemeral:KEY</c>); never a value.</summary>
public sealed record SecretRef(string Name, bool Ephemeral = false)
{
    public const string Prefix = "secret:";

    public override string ToString() => Ephemeral ? $"secret:ephemeral:{Name}" : $"secret:{Name}";
}
