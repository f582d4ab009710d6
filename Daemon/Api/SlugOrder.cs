namespace GradientNode.Daemon.Api;

/// <summary>
/// The order of <c>GET /v1/deployments</c> (and so of <c>ls</c> and the console's table): by slug, with runs of digits
/// compared as numbers, so <c>model-2</c> comes before <c>model-10</c> (ordinal order put <c>model-10</c> … <c>model-19</c>
/// between <c>model-1</c> and <c>model-2</c>). Equal numbers written differently (<c>a-01</c>, <c>a-1</c>) fall back to
/// ordinal order, so the order is total and stable.
/// </summary>
internal sealed class SlugOrder : IComparer<string>
{
    public static SlugOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                var (a, nextI) = Digits(x, i);
                var (b, nextJ) = Digits(y, j);
                var byValue = a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
                if (byValue != 0)
                {
                    return byValue;
                }

                (i, j) = (nextI, nextJ);
                continue;
            }

            if (x[i] != y[j])
            {
                return x[i].CompareTo(y[j]);
            }

            i++;
            j++;
        }

        var byLength = (x.Length - i).CompareTo(y.Length - j);
        return byLength != 0 ? byLength : string.CompareOrdinal(x, y);
    }

    /// <summary>The digit run at <paramref name="start"/> without its leading zeros, and where it ends.</summary>
    private static (string Value, int End) Digits(string text, int start)
    {
        var end = start;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        var value = text[start..end].TrimStart('0');
        return (value, end);
    }
}
