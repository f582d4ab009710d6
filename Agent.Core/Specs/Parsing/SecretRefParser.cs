using System.Text.RegularExpressions;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// Parses <c>secret:NAME</c> and <c>secret:ephemeral:KEY</c>. The prefix is matched case-insensitively
/// (the docs write <c>SECRET:name</c>); NAME follows <see cref="SecretName"/>.
/// </summary>
internal static partial class SecretRefParser
{
    public const int MaxNameLength = 128;

    private const string EphemeralPrefix = "ephemeral:";

    public const string Rule =
        "expected secret:NAME or secret:ephemeral:KEY, NAME starting with a letter followed by letters, digits, '_', '-' or '.' (at most 128)";

    public static bool HasPrefix(string text) => text.StartsWith(SecretRef.Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when <paramref name="text"/> is not a well-formed reference (callers check <see cref="HasPrefix"/> first).</summary>
    public static SecretRef? TryParse(string text)
    {
        if (!HasPrefix(text))
        {
            return null;
        }

        var rest = text[SecretRef.Prefix.Length..];
        var ephemeral = rest.StartsWith(EphemeralPrefix, StringComparison.OrdinalIgnoreCase);
        var name = ephemeral ? rest[EphemeralPrefix.Length..] : rest;
        if (name.Length is 0 or > MaxNameLength)
        {
            return null;
        }

        var valid = ephemeral ? EphemeralKeyPattern().IsMatch(name) : SecretName.IsValid(name);
        return valid ? new SecretRef(name, ephemeral) : null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*\\z")]
    private static partial Regex EphemeralKeyPattern();
}
