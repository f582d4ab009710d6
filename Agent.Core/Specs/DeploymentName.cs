using System.Text;

namespace GradientNode.Core.Specs;

/// <summary>
/// Deployment names and their slugs. A name is 1–128 printable characters (spaces allowed, trimmed);
/// its slug is the lowercase DNS label (<c>[a-z0-9-]</c>, at most 63) used as the key, the host label
/// and part of container names: runs of other characters become one <c>-</c>.
/// </summary>
public static class DeploymentName
{
    public const int MaxNameLength = 128;
    public const int MaxSlugLength = 63;

    /// <summary>Returns null when the name is acceptable, else why not.</summary>
    public static string? Validate(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "name must not be empty";
        }

        if (name.Trim().Length > MaxNameLength)
        {
            return $"name must be at most {MaxNameLength} characters";
        }

        if (name.Any(char.IsControl))
        {
            return "name must not contain control characters";
        }

        if (ToSlug(name).Length == 0)
        {
            return "name must contain at least one Latin letter or digit (a-z, 0-9; accents are dropped, é → e): the slug, the host name of the endpoint, is made of those alone";
        }

        return null;
    }

    /// <summary>
    /// "My Cool  Deployment!" → "my-cool-deployment". Latin letters with accents keep their base letter ("Café Crème" →
    /// "cafe-creme", "Straße" → "strasse"), rather than being dropped; other scripts are separators.
    /// </summary>
    public static string ToSlug(string name)
    {
        var label = Label(name);
        return label.Length <= MaxSlugLength ? label : label[..MaxSlugLength].TrimEnd('-');
    }

    /// <summary>
    /// True when <paramref name="name"/>'s label is longer than <see cref="MaxSlugLength"/>, so its slug keeps only its start
    /// and another long name with the same start has the same slug.
    /// </summary>
    public static bool IsCut(string name) => Label(name).Length > MaxSlugLength;

    /// <summary>True when two names have one slug only because their labels were cut: different deployments that would collide.</summary>
    public static bool CollideWhenCut(string a, string b) =>
        (IsCut(a) || IsCut(b)) && ToSlug(a) == ToSlug(b) && Label(a) != Label(b);

    private static string Label(string name)
    {
        var builder = new StringBuilder(name.Length);
        var pendingDash = false;
        foreach (var c in Fold(name.Trim().ToLowerInvariant()))
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                if (pendingDash && builder.Length > 0)
                {
                    builder.Append('-');
                }

                pendingDash = false;
                builder.Append(c);
            }
            else
            {
                pendingDash = true;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// The base letter of each lowercase letter of Latin-1 Supplement and Latin Extended-A, U+00E0–U+017F (à → a, ñ → n,
    /// ł → l); a space where there is none or it takes two letters (æ, œ, þ, ĳ: <see cref="Fold"/>). A table, not
    /// <c>string.Normalize</c>: the node runs with invariant globalization, where that does not decompose.
    /// </summary>
    private const string LatinBase =
        "aaaaaa ceeeeiiiidnooooo ouuuuy y a a a c c c c d d e e e e e g g g g h h i i i i i   j kk l l l l l n n n  n o o o   r r r s s s s t t t u u u u u u w y  z z z ";

    /// <summary>Accented Latin letters spelled in ASCII (é → e, ß → ss, æ → ae); any other character is left as it is.</summary>
    private static string Fold(string lower)
    {
        if (Ascii.IsValid(lower))
        {
            return lower;
        }

        var builder = new StringBuilder(lower.Length);
        foreach (var c in lower)
        {
            switch (c)
            {
                case 'ß': builder.Append("ss"); break;
                case 'æ': builder.Append("ae"); break;
                case 'œ': builder.Append("oe"); break;
                case 'þ': builder.Append("th"); break;
                case 'ĳ': builder.Append("ij"); break;
                case 'ſ': builder.Append('s'); break;
                case >= '\u00E0' and <= '\u017F' when LatinBase[c - '\u00E0'] != ' ': builder.Append(LatinBase[c - '\u00E0']); break;
                default: builder.Append(c); break;
            }
        }

        return builder.ToString();
    }

    /// <summary>The name a legacy spec without <c>name</c> takes: its file stem.</summary>
    public static string FromFile(string path) => Path.GetFileNameWithoutExtension(path);
}
