namespace GradientNode.Core.Routing;

/// <summary>
/// What the proxy's https listeners serve, as far as the daemon needs it to warn (<see cref="TlsNamesFile"/>): the DNS
/// names of the certificates the operator gave (<c>--tls-cert</c>, <c>--tls-dir</c>) and whether the node's own CA serves
/// a host none of them names (<see cref="NodeAuthorityServesTheRest"/>; else such a host gets a certificate for another
/// name). A deployment host no given certificate names is said in its status and in <c>node</c>
/// (docs/design/endpoints.md, "Hosts no certificate names").
/// </summary>
/// <param name="Given">Lower-case DNS names of the given certificates, wildcards as <c>*.example.com</c>; empty when none is given.</param>
public sealed record TlsNames(IReadOnlyList<string> Given, bool NodeAuthorityServesTheRest)
{
    /// <summary>
    /// The node's warning while the node CA's renewed certificate cannot be written (the state directory full or
    /// read-only: the file and the errno, and until when the current one serves); null otherwise.
    /// </summary>
    public string? RenewalNotWritten { get; init; }

    /// <summary>
    /// The node's warning while certificate files the proxy re-read are bad (a key that does not match, an expired or
    /// cut-short certificate: each file and why) and the certificates read before them keep serving; null otherwise.
    /// Before, only the journal said it (event 6002), so a renewal gone wrong went unseen until the old certificate expired.
    /// </summary>
    public string? Rejected { get; init; }

    /// <summary>The most hosts a node warning names one by one; the rest are counted.</summary>
    public const int MaxHostsNamed = 10;

    /// <summary>
    /// Whether the certificate name <paramref name="name"/> covers <paramref name="host"/> as TLS clients check it: the
    /// same name (case and a final dot aside), or a wildcard <c>*.rest</c> for a host one label above <c>rest</c>
    /// (<c>*.example.com</c> covers <c>a.example.com</c>, not <c>a.b.example.com</c>).
    /// </summary>
    public static bool Covers(string name, string host)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(host);
        var wanted = host.TrimEnd('.');
        if (name.StartsWith("*.", StringComparison.Ordinal))
        {
            var dot = wanted.IndexOf('.', StringComparison.Ordinal);
            return dot > 0 && string.Equals(wanted[(dot + 1)..], name[2..], StringComparison.OrdinalIgnoreCase);
        }

        return string.Equals(name.TrimEnd('.'), wanted, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether a given certificate names <paramref name="host"/>; always true when none is given (the node CA serves every host, as chosen).</summary>
    public bool CoversGiven(string host) => Given.Count == 0 || Given.Any(name => Covers(name, host));

    /// <summary>The warning for a deployment's status when no given certificate names its <paramref name="host"/>, else null.</summary>
    public string? WarningFor(string host)
    {
        if (CoversGiven(host))
        {
            return null;
        }

        var parent = host.IndexOf('.', StringComparison.Ordinal) is var dot and > 0 ? host[(dot + 1)..] : host;
        return NodeAuthorityServesTheRest
            ? $"https: no certificate given to the node (--tls-dir, --tls-cert) names {host}, so it is served one from the node's own CA: "
                + $"clients refuse it unless they trust that CA (gradient-node tls ca); to serve your own, add {host}.crt + {host}.key to the --tls-dir folder"
            : $"https: no certificate names {host} (they name {Named()}): its clients get a certificate for another name and refuse it; "
                + $"add one for {host} or *.{parent}";
    }

    /// <summary>One warning for the node naming the deployment hosts no given certificate names, or null when there are none.</summary>
    public string? WarningForHosts(IEnumerable<string> hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        var uncovered = hosts.Where(h => !CoversGiven(h)).Order(StringComparer.Ordinal).ToList();
        if (uncovered.Count == 0)
        {
            return null;
        }

        var listed = string.Join(", ", uncovered.Take(MaxHostsNamed)) + (uncovered.Count > MaxHostsNamed ? $" and {uncovered.Count - MaxHostsNamed} more" : "");
        return NodeAuthorityServesTheRest
            ? $"https: {uncovered.Count} deployment host(s) that no certificate given to the node (--tls-dir, --tls-cert) names are served one from the node's own CA, "
                + $"which their clients must trust (gradient-node tls ca): {listed}"
            : $"https: no certificate names {uncovered.Count} deployment host(s), so their clients get a certificate for another name (the certificates name {Named()}): {listed}";
    }

    private string Named() => string.Join(", ", Given.Take(MaxHostsNamed)) + (Given.Count > MaxHostsNamed ? $" and {Given.Count - MaxHostsNamed} more" : "");
}
