namespace GradientNode.Proxy.Routing;

/// <summary>
/// What <c>--domain</c> may be: a host name that deployments' labels are put in front of (<c>hello.&lt;domain&gt;</c>),
/// so one the node CA can issue a certificate for and clients can resolve. Labels of 1–63 letters, digits, <c>-</c>
/// and <c>_</c> (seen in internal zones), not starting or ending with <c>-</c>; at most 253 characters in all.
/// </summary>
public static class DomainName
{
    /// <summary>The rule in words, for error messages.</summary>
    public const string Rule = "dot-separated labels of 1 to 63 letters, digits, '-' or '_', none starting or ending with '-'";

    public static bool IsValid(string? domain)
    {
        if (string.IsNullOrEmpty(domain) || domain.Length > 253)
        {
            return false;
        }

        foreach (var label in domain.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-' || !label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
