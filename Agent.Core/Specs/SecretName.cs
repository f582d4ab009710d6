using System.Text.RegularExpressions;

namespace GradientNode.Core.Specs;

/// <summary>
/// Secret names: a letter, then letters, digits, <c>_</c>, <c>-</c> or <c>.</c>, at most 128 characters (the product's
/// own examples use both <c>my_paperspace_secret</c> and <c>paperspace-github-token</c>). Values: 1–8192 bytes.
/// </summary>
public static partial class SecretName
{
    public const int MaxLength = 128;
    public const int MaxValueBytes = 8192;

    public const string Rule = "a secret name starts with a letter followed by letters, digits, '_', '-' or '.' (at most 128)";

    public static bool IsValid(string name) => name.Length is > 0 and <= MaxLength && Pattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.-]*\\z")]
    private static partial Regex Pattern();
}
