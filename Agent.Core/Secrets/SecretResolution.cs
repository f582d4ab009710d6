namespace GradientNode.Core.Secrets;

/// <summary>
/// The secret values one spec version runs with, by secret name, or what is missing (each problem names the
/// field and the secret). Values never reach status, logs or messages.
/// </summary>
public sealed record SecretResolution(IReadOnlyDictionary<string, string> Values, IReadOnlyList<string> Missing)
{
    public static SecretResolution None { get; } = new(new Dictionary<string, string>(), []);

    public bool IsComplete => Missing.Count == 0;
}
