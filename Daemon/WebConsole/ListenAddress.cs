using System.Globalization;
using System.Net;
using GradientNode.Daemon.Cli;

namespace GradientNode.Daemon.WebConsole;

/// <summary>
/// The console's <c>--listen HOST:PORT</c>: loopback only (127.0.0.0/8, ::1, localhost). There is no flag to force
/// another address: the console has no login and acts with the rights of the socket's user (docs/design/console.md).
/// Only the daemon-served console (node.yaml <c>console: {listen, allowRemote: true}</c>) may listen elsewhere.
/// </summary>
internal sealed record ListenAddress(IPAddress Address, int Port)
{
    public const string Default = "127.0.0.1:7080";

    /// <summary>The URL to open in a browser.</summary>
    public string Url => $"http://{(Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address.ToString())}:{Port}/";

    /// <summary>
    /// Parses <c>HOST:PORT</c> (an <c>http://</c> prefix is allowed); a non-loopback host is a usage error unless
    /// <paramref name="allowRemote"/>. <paramref name="what"/> names the setting in messages.
    /// </summary>
    public static ListenAddress Parse(string text, bool allowRemote = false, string what = "--listen")
    {
        var value = text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? text["http://".Length..].TrimEnd('/') : text;
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new UsageException($"{what} '{text}' is not HOST:PORT (e.g. {Default})");
        }

        var host = value[..colon].Trim('[', ']');
        var address = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var parsed) ? parsed
            : throw new UsageException($"{what} '{text}': '{host}' is not an IP address or localhost");
        if (!IPAddress.IsLoopback(address) && !allowRemote)
        {
            var remedy = what == "--listen"
                ? "use ssh -L to reach it from elsewhere"
                : "use ssh -L to reach it from elsewhere, or set console.allowRemote: true to let anyone who reaches the port restart, scale and disable deployments";
            throw new UsageException(
                $"{what} '{text}' is not a loopback address: the console has no login of its own and acts with socket rights, so it only listens on 127.0.0.1, ::1 or localhost ({remedy})");
        }

        return new ListenAddress(address, port);
    }
}
