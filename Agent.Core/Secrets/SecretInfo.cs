using System.Text.Json.Serialization;

namespace GradientNode.Core.Secrets;

/// <summary>
/// What may be shown of a secret: its name and when it was last set. Never its value. <see cref="Damaged"/> says why
/// its stored file is not a value (<see cref="SecretStore.DamageOf"/>); absent for a good one.
/// </summary>
public sealed record SecretInfo(
    string Name,
    DateTimeOffset Modified,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Damaged = null);
