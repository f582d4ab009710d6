using GradientNode.Core.Specs;

namespace GradientNode.Core.Datasets;

/// <summary>
/// A reference as Gradient writes them: <c>NAME</c> (the newest version), <c>NAME:VERSION</c> or <c>NAME:TAG</c>
/// (a version id is tried first, then a tag; <c>latest</c> is the newest). Names follow the secret-name rules.
/// </summary>
public sealed record DatasetReference(string Name, string? Selector)
{
    public const string Latest = "latest";

    public const string NameRule = StoreNames.DatasetNameRule;

    public const string TagRule = "a tag starts with a letter or digit followed by letters, digits, '_', '-' or '.' (at most 128)";

    public static string? CheckName(string name) => SecretName.IsValid(name) ? null : $"'{Printable(name)}' is not a valid dataset name: {NameRule}";

    public static string? CheckTag(string tag) =>
        tag.Length is > 0 and <= 128 && char.IsAsciiLetterOrDigit(tag[0]) && tag.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')
            ? null
            : $"'{Printable(tag)}' is not a valid tag: {TagRule}";

    /// <summary>Parses <paramref name="text"/> or throws <see cref="DatasetException"/> (<see cref="DatasetError.Invalid"/>) naming it.</summary>
    public static DatasetReference Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? text : text[..colon];
        var selector = colon < 0 ? null : text[(colon + 1)..];
        if (CheckName(name) is { } bad)
        {
            throw new DatasetException(DatasetError.Invalid, $"dataset reference '{Printable(text)}': {bad}");
        }

        if (selector is not null && CheckTag(selector) is not null)
        {
            throw new DatasetException(DatasetError.Invalid, $"dataset reference '{Printable(text)}': after ':' comes a version id or a tag ({TagRule})");
        }

        return new DatasetReference(name, selector);
    }

    public override string ToString() => Selector is null ? Name : $"{Name}:{Selector}";

    internal static string Printable(string text) => new([.. text.Take(200).Select(c => char.IsControl(c) ? '?' : c)]);
}
