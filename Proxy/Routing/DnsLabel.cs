namespace GradientNode.Proxy.Routing;

/// <summary>One DNS label as a host name may have it (RFC 1123): 1–63 ASCII letters, digits and inner hyphens.</summary>
internal static class DnsLabel
{
    public static bool IsValid(ReadOnlySpan<char> label)
    {
        if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
        {
            return false;
        }

        foreach (var c in label)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }
}
