using System.Text.RegularExpressions;

namespace GradientNode.Daemon.Hosting;

/// <summary>
/// Kestrel's <c>Failed to bind to address http://0.0.0.0:8080: address already in use.</c>, with what to do: find who
/// listens there and stop it, or give the node another port. Before, the start ended on Kestrel's line alone.
/// </summary>
internal static partial class AddressInUseText
{
    public static string For(string kestrelMessage)
    {
        var said = kestrelMessage.TrimEnd('.', ' ');
        var port = PortPattern().Match(said) is { Success: true } match ? match.Groups["port"].Value : null;
        var find = port is null ? "find it with `ss -ltnp`" : $"find it with `ss -ltnp 'sport = :{port}'`";
        return $"{said}: another program (or another gradient-node) listens there; {find} and stop it, or give this node another address (--listen, GRADIENT_LISTEN or listen in node.yaml)";
    }

    [GeneratedRegex(@":(?<port>[0-9]{1,5}):\s*address already in use", RegexOptions.IgnoreCase)]
    private static partial Regex PortPattern();
}
