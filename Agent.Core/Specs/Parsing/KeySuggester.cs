namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// Finds the known key an unknown one was probably meant to be (same letters in another case, or a close typo). Two
/// neighbouring letters typed in the wrong order (<c>evn</c>, <c>tpye</c>, <c>wiht</c>) are one typo, not two: before,
/// such a key of four letters or fewer got no suggestion at all.
/// </summary>
public static class KeySuggester
{
    /// <summary>Keys longer than this get no suggestion (no known key is close, and the edit distance is quadratic).</summary>
    public const int MaxKeyLength = 64;

    public static string? Suggest(string key, IEnumerable<string> known) => Suggest(key, known, maxDistance: null);

    /// <summary>
    /// As <see cref="Suggest(string, IEnumerable{string})"/>, with at most <paramref name="maxDistance"/> edits when given
    /// (names whose digits matter, such as machine types, where two edits turn <c>Z9000</c> into <c>P4000</c>).
    /// </summary>
    public static string? Suggest(string key, IEnumerable<string> known, int? maxDistance)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length > MaxKeyLength)
        {
            return null;
        }

        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            if (candidate.StartsWith('$'))
            {
                continue;
            }

            if (string.Equals(candidate, key, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }

            var distance = Distance(key.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }

        var allowed = maxDistance ?? (key.Length <= 4 ? 1 : 2);
        return bestDistance <= allowed ? best : null;
    }

    /// <summary>
    /// The edit distance with adjacent transpositions (optimal string alignment): an insertion, a deletion, a substitution
    /// or two neighbouring letters swapped each count one.
    /// </summary>
    internal static int Distance(string a, string b)
    {
        var beforePrevious = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    current[j] = Math.Min(current[j], beforePrevious[j - 2] + 1);
                }
            }

            (beforePrevious, previous, current) = (previous, current, beforePrevious);
        }

        return previous[b.Length];
    }
}
