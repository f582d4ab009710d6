using System.Text.Json.Serialization;

namespace GradientNode.Core.Registries;

/// <summary>
/// What may be shown of a registry connection: everything but the password. <see cref="Damaged"/> says why a stored file
/// could not be read as a connection (then URL and username are empty); absent for a good one.
/// </summary>
public sealed record RegistryInfo(
    string Name,
    string Url,
    string Username,
    string? Namespace,
    DateTimeOffset Modified,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Damaged = null);
