namespace GradientNode.Core.Engine;

/// <summary>A network to create: a <c>bridge</c> unless <see cref="Driver"/> says otherwise.</summary>
public sealed record NetworkCreateRequest(string Name)
{
    public string Driver { get; init; } = "bridge";

    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
