using GradientNode.Proxy.Tls;
using Microsoft.Extensions.Logging;

namespace GradientNode.Proxy;

/// <summary>
/// Configuration of the proxy role. Defaults are documented in docs/design/proxy.md.
/// </summary>
public sealed record ProxyOptions
{
    /// <summary>Kestrel listen URLs (<c>--listen</c>, repeatable). Port 0 picks a free port (see <see cref="ProxyServer.Urls"/>).</summary>
    public IReadOnlyList<string> ListenUrls { get; init; } = ["http://0.0.0.0:8080"];

    /// <summary>
    /// Listening sockets the service manager passed down (systemd socket activation): a listen URL with the same address
    /// is served on one of them instead of binding anew. Empty outside socket activation.
    /// </summary>
    public IReadOnlyList<Hosting.InheritedSocket> InheritedSockets { get; init; } = [];

    /// <summary>Certificates, redirect and HSTS of the <c>https://</c> listeners (unused without one).</summary>
    public ProxyTlsOptions Tls { get; init; } = new();

    /// <summary>Deployment <c>hello</c> answers at <c>hello.&lt;Domain&gt;</c> on any port.</summary>
    public string Domain { get; init; } = "localhost";

    /// <summary>Where the daemon writes <c>routes.json</c> and the proxy writes <c>proxy-stats.json</c>.</summary>
    public string RunDir { get; init; } = "/run/gradient";

    /// <summary>How long a request for a deployment without a ready replica is held before 503.</summary>
    public TimeSpan ReadyWaitTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>At most this many requests of one deployment are held at once; past it the proxy answers 503 + Retry-After at once (0: never hold).</summary>
    public int MaxHeldRequestsPerDeployment { get; init; } = 100;

    /// <summary>At most this many requests are held at once over all deployments (503 + Retry-After past it).</summary>
    public int MaxHeldRequests { get; init; } = 1000;

    /// <summary>Kestrel MaxConcurrentConnections: connections past it are closed at once. Upgraded (WebSocket) connections count too.</summary>
    public long MaxConcurrentConnections { get; init; } = 10_000;

    /// <summary>
    /// At most this many connections open at once from one client (an IPv4 address or an IPv6 /64); more are closed when
    /// accepted, before TLS (<c>--max-connections-per-address</c>; 0: no limit). So one client cannot hold every one of
    /// <see cref="MaxConcurrentConnections"/>.
    /// </summary>
    public int MaxConnectionsPerAddress { get; init; } = DefaultMaxConnectionsPerAddress;

    public const int DefaultMaxConnectionsPerAddress = 1000;

    /// <summary>
    /// Kestrel MaxRequestBufferSize: how much of a request body Kestrel reads ahead of the app per connection, so
    /// the most a held request's body pins in memory. Uploads still stream (backpressure), just in smaller steps.
    /// </summary>
    public long MaxRequestBufferSize { get; init; } = 64 * 1024;

    /// <summary>Kestrel RequestHeadersTimeout: a client must send its request headers within this time (slow-header clients are cut off).</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Idle time allowed between bytes in either direction (YARP ActivityTimeout). Long for LLM streaming.</summary>
    public TimeSpan ActivityTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// TCP connect timeout to a replica; a failed connect is retried on another replica. On the local bridge a connect
    /// takes well under a millisecond; 2 s still covers one lost SYN (Linux resends it after 1 s).
    /// </summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a replica whose connect failed (refused, unreachable, timed out) stays out of rotation (passive health):
    /// later requests go to another ready replica, or get a 503 at once when none is left, instead of each trying the
    /// dead address again. It comes back after this time, or at once when the route table names a new container.
    /// </summary>
    public TimeSpan ConnectFailedCooldown { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Poll period for routes.json, besides the file system watcher.</summary>
    public TimeSpan RoutePollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often <c>proxy-stats.json</c> is rewritten while requests come or their 5-minute window decays (at rest: never).</summary>
    public TimeSpan StatsWriteInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Kestrel's transport runs the request pipeline on the socket engine's threads instead of handing each read and
    /// write to the thread pool (<c>SocketTransportOptions.UnsafePreferInlineScheduling</c>). Default: on exactly when
    /// the runtime's inline socket completions are (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>, which the
    /// proxy's systemd unit sets); safe because nothing on the proxy's request path blocks a thread.
    /// </summary>
    public bool InlineScheduling { get; init; } = InlineSocketCompletions.Enabled;

    /// <summary>
    /// One upstream connection pool per socket engine thread, each connection on that thread's engine, so that a
    /// request and its response are read on one thread (<c>Forwarding.EngineAffineHandler</c>). Default: on exactly when
    /// the runtime's inline socket completions are, unless <c>GRADIENT_NODE_UPSTREAM_POOLS=shared</c> (one pool per
    /// deployment, as before; for A/B measurements).
    /// </summary>
    public bool UpstreamPoolPerEngineThread { get; init; } =
        InlineSocketCompletions.Enabled && Environment.GetEnvironmentVariable("GRADIENT_NODE_UPSTREAM_POOLS") != "shared";

    /// <summary>Kestrel MaxRequestHeadersTotalSize; larger header blocks get 431.</summary>
    public int MaxRequestHeadersTotalSize { get; init; } = 32 * 1024;

    /// <summary>Kestrel MaxRequestLineSize; longer request lines get 414.</summary>
    public int MaxRequestLineSize { get; init; } = 8 * 1024;

    /// <summary>
    /// Wrong passwords one client (an IPv4 address or an IPv6 /64) may send one protected deployment within
    /// <see cref="AuthFailureWindow"/>; past it the client is locked out of that deployment for the same window: 429 +
    /// <c>Retry-After</c>, its password not checked. 0 turns the throttling off.
    /// </summary>
    public int AuthFailureLimit { get; init; } = 10;

    /// <summary>The window of <see cref="AuthFailureLimit"/>, and how long a lockout lasts (at most a day).</summary>
    public TimeSpan AuthFailureWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>At most about this many (client, deployment) pairs are tracked at once; see <c>AuthFailureLimiter</c> for what happens past it.</summary>
    public int AuthFailureTableSize { get; init; } = 10_000;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Lets the host set the log format (the executable uses one line per event, like the daemon role).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    /// <summary>All problems at once; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (ListenUrls is null || ListenUrls.Count == 0)
        {
            errors.Add("at least one listen URL is required");
        }
        else
        {
            foreach (var url in ListenUrls)
            {
                if (!Uri.TryCreate(url?.Replace("*", "0.0.0.0", StringComparison.Ordinal).Replace("+", "0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                {
                    errors.Add($"listen URL '{url}' is not an absolute http:// or https:// URL");
                }
            }

            if (KestrelListeners.AnyHttps(ListenUrls.OfType<string>()))
            {
                (Tls ?? new ProxyTlsOptions()).Validate(errors);
            }
        }

        if (!Routing.DomainName.IsValid(Domain))
        {
            // An empty label (a..b) used to pass here and fail later inside the node CA with .NET's own words.
            errors.Add($"domain '{Domain}' is not a host name ({Routing.DomainName.Rule})");
        }

        if (string.IsNullOrWhiteSpace(RunDir))
        {
            errors.Add("run dir is required");
        }

        Positive(errors, ReadyWaitTimeout, nameof(ReadyWaitTimeout), allowZero: true);
        Positive(errors, ActivityTimeout, nameof(ActivityTimeout));
        Positive(errors, ConnectTimeout, nameof(ConnectTimeout));
        Positive(errors, ConnectFailedCooldown, nameof(ConnectFailedCooldown));
        Positive(errors, RoutePollInterval, nameof(RoutePollInterval));
        Positive(errors, StatsWriteInterval, nameof(StatsWriteInterval));
        if (MaxRequestHeadersTotalSize < 1024)
        {
            errors.Add($"{nameof(MaxRequestHeadersTotalSize)} must be at least 1024");
        }

        if (MaxRequestLineSize < 256)
        {
            errors.Add($"{nameof(MaxRequestLineSize)} must be at least 256");
        }

        if (MaxHeldRequestsPerDeployment < 0)
        {
            errors.Add($"{nameof(MaxHeldRequestsPerDeployment)} must be zero or more");
        }

        if (MaxHeldRequests < 0)
        {
            errors.Add($"{nameof(MaxHeldRequests)} must be zero or more");
        }

        if (MaxConnectionsPerAddress < 0)
        {
            errors.Add($"{nameof(MaxConnectionsPerAddress)} must be zero or more");
        }

        if (MaxConcurrentConnections < 1)
        {
            errors.Add($"{nameof(MaxConcurrentConnections)} must be at least 1");
        }

        if (MaxRequestBufferSize < Math.Max(MaxRequestHeadersTotalSize, MaxRequestLineSize))
        {
            errors.Add($"{nameof(MaxRequestBufferSize)} must be at least {nameof(MaxRequestHeadersTotalSize)} and {nameof(MaxRequestLineSize)}");
        }

        Positive(errors, RequestHeadersTimeout, nameof(RequestHeadersTimeout));
        if (AuthFailureLimit < 0)
        {
            errors.Add($"{nameof(AuthFailureLimit)} must be zero or more");
        }

        if (AuthFailureWindow <= TimeSpan.Zero || AuthFailureWindow > TimeSpan.FromDays(1))
        {
            errors.Add($"{nameof(AuthFailureWindow)} must be positive and at most a day");
        }

        if (AuthFailureTableSize < 1)
        {
            errors.Add($"{nameof(AuthFailureTableSize)} must be at least 1");
        }

        if (TimeProvider is null)
        {
            errors.Add($"{nameof(TimeProvider)} is required");
        }

        return errors;
    }

    private static void Positive(List<string> errors, TimeSpan value, string name, bool allowZero = false)
    {
        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
        {
            errors.Add($"{name} must be {(allowZero ? "zero or more" : "positive")}");
        }
    }
}
