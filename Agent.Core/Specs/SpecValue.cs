namespace GradientNode.Core.Specs;

/// <summary>A string field that is either a literal or a <c>secret:NAME</c> reference.</summary>
public sealed record SpecValue(string? Literal, SecretRef? Secret)
{
    public static SpecValue Of(string literal) => new(literal, null);

    public static SpecValue Of(SecretRef secret) => new(null, secret);

    public bool IsSecret => Secret is not null;

    /// <summary>The text as written in the spec: the literal, or the reference (never a secret's value).</summary>
    public override string ToString() => Secret?.ToString() ?? Literal ?? string.Empty;
}
