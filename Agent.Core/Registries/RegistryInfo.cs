namespace GradientNode.Core.Registries;

/// <summary>What may be shown of a registry connection: everything but the password.</summary>
public sealed record RegistryInfo(string Name, string Url, string Username, string? Namespace, DateTimeOffset Modified);
