namespace GradientNode.Core.Specs;

/// <summary>A legacy repository to clone: <c>{name, url, ref?, username?, password: secret:NAME?}</c>.</summary>
public sealed record RepositorySpec(string Name, string Url, string? Ref, string? Username, SecretRef? Password);
