using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using GradientNode.Proxy.Connections;
using GradientNode.Proxy.Hosting;

namespace GradientNode.Proxy.Tls;

/// <summary>
/// Binds the listen URLs with Kestrel: <c>http://</c> as before (HTTP/1.1 only: see <see cref="ProtocolsFor"/>),
/// <c>https://</c> with Kestrel's own TLS: HTTP/1.1 and HTTP/2 by ALPN, the certificate chosen per handshake from
/// <see cref="CertificateProvider.Current"/> by the client's SNI name. A URL whose address systemd already opened
/// (<see cref="InheritedSocket"/>) is served on that socket.
/// </summary>
internal static class KestrelListeners
{
    private static readonly List<SslApplicationProtocol> Alpn = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    public static bool AnyHttps(IEnumerable<string> urls) => urls.Any(IsHttps);

    public static bool IsHttps(string url) => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>A listen URL as Kestrel binds it: <c>*</c>, <c>+</c> and host names on every address, <c>localhost</c> on loopback.</summary>
    public static (IPAddress? Address, int Port, bool Https) Parse(string url)
    {
        var normalized = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        var uri = new Uri(normalized, UriKind.Absolute);
        var wildcard = url.Contains("://*", StringComparison.Ordinal) || url.Contains("://+", StringComparison.Ordinal);
        var https = uri.Scheme == Uri.UriSchemeHttps;
        var port = uri.Port;
        IPAddress? address = wildcard ? null
            : uri.IsLoopback && uri.HostNameType == UriHostNameType.Dns ? IPAddress.Loopback
            : IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) ? ip
            : null;
        return (address, port, https);
    }

    /// <summary>
    /// HTTP/1.1 and HTTP/2 by ALPN over TLS; HTTP/1.1 alone in clear text. Kestrel cannot offer both on a clear-text
    /// endpoint (there is no ALPN to choose by): asked to, it serves HTTP/1.1 only and warns at every start.
    /// </summary>
    public static HttpProtocols ProtocolsFor(bool https) => https ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;

    /// <summary>
    /// Every listen URL, each with <paramref name="connectionLimit"/> (when given) in front of TLS and HTTP: a connection it
    /// refuses costs no handshake.
    /// </summary>
    public static void Configure(KestrelServerOptions kestrel, IReadOnlyList<string> urls, CertificateProvider? certificates, IReadOnlyList<InheritedSocket> inherited, Func<ConnectionDelegate, ConnectionDelegate>? connectionLimit = null)
    {
        foreach (var url in urls)
        {
            var (address, port, https) = Parse(url);
            void Setup(ListenOptions listen)
            {
                listen.Protocols = ProtocolsFor(https);
                if (connectionLimit is not null)
                {
                    listen.Use(connectionLimit);
                }

                if (https)
                {
                    var provider = certificates ?? throw new InvalidOperationException("https listener without certificates");
                    listen.UseHttps(new TlsHandshakeCallbackOptions
                    {
                        HandshakeTimeout = TimeSpan.FromSeconds(10),
                        OnConnection = context => ValueTask.FromResult(Authenticate(provider, context.ClientHelloInfo.ServerName)),
                    });
                }

                // Last: a connection accepted just before a stop is answered, not closed as idle (FirstRequestWait).
                listen.Use(FirstRequestWait.Middleware(TimeProvider.System));
            }

            if (InheritedSocket.For(url, inherited) is { } socket)
            {
                kestrel.ListenHandle((ulong)socket.Descriptor, Setup);
            }
            else if (address is null)
            {
                kestrel.ListenAnyIP(port, Setup);
            }
            else
            {
                kestrel.Listen(address, port, Setup);
            }
        }
    }

    /// <summary>
    /// One handshake's options: the certificate for <paramref name="serverName"/>, HTTP/2 and HTTP/1.1 by ALPN, TLS 1.2
    /// and 1.3 only and no renegotiation, whatever the host's OpenSSL policy allows (a host set to its legacy policy
    /// offered TLS 1.0 and 1.1 with it). TLS 1.3 early data (0-RTT) is never accepted: .NET's TLS has none. No
    /// <see cref="CipherSuitesPolicy"/>: with one, .NET builds a new OpenSSL context for every handshake instead of
    /// keeping one per certificate, which costs each new connection and turns session resumption off; TLS 1.2's
    /// suites are the host's policy (endpoints.md).
    /// </summary>
    internal static SslServerAuthenticationOptions Authenticate(CertificateProvider provider, string? serverName) => new()
    {
        ServerCertificateContext = (provider.Select(serverName) ?? throw new InvalidOperationException("no TLS certificate loaded")).Context,
        ApplicationProtocols = Alpn,
        ClientCertificateRequired = false,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        AllowRenegotiation = false,
    };
}
