using System.Text;
using GradientNode.Core.Routing;
using GradientNode.Proxy.Auth;
using GradientNode.Proxy.Connections;
using GradientNode.Proxy.Forwarding;
using GradientNode.Proxy.Gateway;
using GradientNode.Proxy.Metrics;
using GradientNode.Proxy.Routing;
using GradientNode.Proxy.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;

namespace GradientNode.Proxy.Hosting;

/// <summary>
/// The proxy role: Kestrel on <see cref="ProxyOptions.ListenUrls"/>, routes from <c>&lt;run-dir&gt;/routes.json</c>,
/// stats to <c>&lt;run-dir&gt;/proxy-stats.json</c>. Create, then <see cref="StartAsync"/> and <see cref="StopAsync"/>.
/// </summary>
public sealed partial class ProxyServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FileRouteSource _routes;
    private readonly ProxyOptions _options;

    private ProxyServer(WebApplication app, ProxyOptions options)
    {
        _app = app;
        _options = options;
        _routes = app.Services.GetRequiredService<FileRouteSource>();
    }

    /// <summary>The bound addresses (real ports when a listen URL used port 0); empty before start.</summary>
    public IReadOnlyList<string> Urls =>
        _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];

    /// <summary>The route table the proxy serves now (as applied to YARP).</summary>
    public RouteTable Routes => _routes.Current.Table;

    /// <summary>
    /// Builds the proxy (not started). <paramref name="loggerProvider"/>, when given, replaces the default console
    /// logging; per-request framework logs are filtered to Warning either way.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (all problems in the message).</exception>
    public static ProxyServer Create(ProxyOptions options, ILoggerProvider? loggerProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid proxy options: " + string.Join("; ", errors), nameof(options));
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(ProxyServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        ConfigureLogging(builder.Logging, loggerProvider, options.TimeProvider);
        options.ConfigureLogging?.Invoke(builder.Logging);
        var https = KestrelListeners.AnyHttps(options.ListenUrls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var perAddress = new AddressConnectionLimit(options.MaxConnectionsPerAddress, kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger<AddressConnectionLimit>());
            KestrelListeners.Configure(kestrel, options.ListenUrls, https ? kestrel.ApplicationServices.GetRequiredService<CertificateProvider>() : null, options.InheritedSockets, perAddress.Middleware);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestHeadersTotalSize = options.MaxRequestHeadersTotalSize;
            kestrel.Limits.MaxRequestLineSize = options.MaxRequestLineSize;
            kestrel.Limits.MaxRequestBodySize = null; // uploads stream through; the app decides
            kestrel.Limits.MaxRequestBufferSize = options.MaxRequestBufferSize; // what a held request's body can pin
            // Over HTTP/2 a body's read-ahead is Kestrel's flow-control windows (768 KiB a stream, 1 MiB a connection), not
            // MaxRequestBufferSize: set to 64 KiB they made a 4 MiB upload 15 times slower on loopback (docs/design/proxy.md).
            kestrel.Limits.MaxConcurrentConnections = options.MaxConcurrentConnections;
            kestrel.Limits.RequestHeadersTimeout = options.RequestHeadersTimeout;
            // Off: a client that stops reading a slow stream (SSE, gRPC: under 240 B/s) lost its whole connection 5 s after its
            // buffers filled (over HTTP/2 every stream on it, the rate being counted per connection). A reader that never comes
            // back is bounded by flow control, the connection caps and ActivityTimeout instead (docs/design/proxy.md).
            kestrel.Limits.MinResponseDataRate = null;

            // A replica's header bytes pass as they came: the forwarder's client reads them as Latin-1, so writing them
            // as Latin-1 gives back the same bytes (UTF-8 `café` included), where Kestrel's ASCII-only default made
            // every such answer a 502. Control characters are still refused (502, event 3022).
            kestrel.ResponseHeaderEncodingSelector = static _ => Encoding.Latin1;
        });
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = options.InlineScheduling);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        ConfigureServices(builder.Services, options);

        if (https)
        {
            // On-demand certificates (single-label domain) only for hosts that route somewhere, as the gateway finds them.
            builder.Services.AddSingleton(sp =>
            {
                var routes = sp.GetRequiredService<FileRouteSource>();
                return new CertificateProvider(options.Tls, options.Domain, options.TimeProvider, sp.GetRequiredService<ILogger<CertificateProvider>>(),
                    host => routes.Current.FindByHost(host) is not null, options.RunDir);
            });
        }

        var app = builder.Build();
        // Requests in flight are bounded as connections are: over HTTP/2 one connection carries up to 100 of them.
        app.Use(new InFlightRequestLimit(options.MaxConnectionsPerAddress, options.MaxConcurrentConnections,
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<InFlightRequestLimit>()).Middleware);
        if (https)
        {
            // A bad certificate or key file fails here, naming the file, before anything listens.
            try
            {
                app.Services.GetRequiredService<CertificateProvider>().Start();
            }
            catch (CertificateLoadException)
            {
                ((IDisposable)app).Dispose();
                throw;
            }

            app.UseMiddleware<TransportSecurityMiddleware>();
        }

        app.UseMiddleware<GatewayMiddleware>();
        app.UseRouting();
        app.Use(static (context, next) => context.GetEndpoint() is null
            ? GatewayMiddleware.WriteTextAsync(context, StatusCodes.Status503ServiceUnavailable, "routes are being updated, retry\n")
            : next(context));
        app.MapReverseProxy(pipeline =>
        {
            pipeline.UseLoadBalancing();
            pipeline.UseMiddleware<ReplicaMetricsMiddleware>();
        });

        // MapReverseProxy added YARP's endpoint data source last and applied the first config.
        app.Services.GetRequiredService<FileRouteSource>().Connect(((IEndpointRouteBuilder)app).DataSources.Last());
        return new ProxyServer(app, options);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        LogListening(_app.Logger, string.Join(", ", Urls), _options.Domain, _options.RunDir,
            (Transport.UnsafePreferInlineScheduling ? "inline on the socket threads" : "on the thread pool")
            + (_options.UpstreamPoolPerEngineThread ? ", upstream connections pooled per socket thread" : ""));
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        LogStopping(_app.Logger);
        return _app.StopAsync(cancellationToken);
    }

    /// <summary>Re-reads the TLS certificates (SIGHUP); new connections get the new ones, open ones keep theirs.</summary>
    public void ReloadCertificates() => Certificates?.Reload("reload");

    /// <summary>Kestrel's socket transport settings as this proxy applied them.</summary>
    internal SocketTransportOptions Transport => _app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value;

    /// <summary>The certificates of the https listeners; null without one.</summary>
    internal CertificateProvider? Certificates => _app.Services.GetService<CertificateProvider>();

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static void ConfigureLogging(ILoggingBuilder logging, ILoggerProvider? loggerProvider, TimeProvider time)
    {
        if (loggerProvider is not null)
        {
            logging.ClearProviders();
            logging.AddProvider(loggerProvider);
        }

        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Yarp", LogLevel.Warning);
        logging.AddFilter("Yarp.ReverseProxy.Forwarder.HttpForwarder", LogLevel.Error); // ForwardingErrorLog writes these in one line
        logging.AddFilter("Yarp.ReverseProxy.Health.DestinationHealthUpdater", LogLevel.Error); // ConnectFailures logs the replica taken out (3025)
        // Both write "No available destinations after load balancing" (warning 7) for every request while each replica of a
        // deployment is out of rotation: two lines per request (20 a second under a 0.1 s client loop, faults11). The
        // client gets the 503 that says why, and ConnectFailures logged each replica taken out once (3025).
        logging.AddFilter("Yarp.ReverseProxy.LoadBalancing.LoadBalancingMiddleware", LogLevel.Error);
        logging.AddFilter("Yarp.ReverseProxy.Forwarder.ForwarderMiddleware", LogLevel.Error);
        logging.AddFilter("System.Net.Http", LogLevel.Warning);

        // Kestrel writes a Critical line per HTTP/2 connection it aborts for flooding it (rapid reset): one a minute.
        var throttle = new CriticalLogThrottle(time);
        logging.AddFilter(CriticalLogThrottle.Category, throttle.Allow);

        // A listener that cannot bind (a port in use) fails StartAsync, and the role says so in one line; the host's own
        // "Hosting failed to start" error would print the same with a stack trace first. A background service that
        // throws still shows: the host logs that at Critical, with the exception, as it stops.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);

        // Off entirely, not just below Warning: while this category is enabled at any level, ASP.NET Core's
        // hosting layer starts an Activity and a log scope for every request (and HttpClient then propagates
        // trace headers for it). See docs/benchmarks.md, "Proxy throughput".
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
    }

    private static void ConfigureServices(IServiceCollection services, ProxyOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(options.TimeProvider);
        services.AddSingleton(sp => new ProxyMetrics(options.TimeProvider));
        services.AddSingleton(sp => new HoldGate(options));
        services.AddSingleton(sp => new AuthFailureLimiter(options, sp.GetRequiredService<ILogger<AuthFailureLimiter>>()));
        services.AddSingleton<FileRouteSource>();
        services.AddSingleton<OutOfRotation>();
        services.AddSingleton<IAvailableDestinationsPolicy, AcceptingDestinationsPolicy>();
        services.AddSingleton(sp => new RepeatedFailureLog(options.TimeProvider));
        services.AddSingleton<ConnectFailures>();
        services.AddSingleton<IProxyConfigProvider>(sp => sp.GetRequiredService<FileRouteSource>());
        services.AddSingleton<IConfigChangeListener>(sp => sp.GetRequiredService<FileRouteSource>());
        services.AddHostedService<RouteSourceService>();
        services.AddHostedService<TrafficFileWriter>();
        services.AddReverseProxy().AddTransforms(RetryTransform.Add).AddTransforms(UnaskedUpgradeTransform.Add).AddTransforms(CookieDomainTransform.Add);
        KeepDataProtectionInMemory(services);
        services.Replace(ServiceDescriptor.Singleton<IForwarderHttpClientFactory, ForwarderClientFactory>());
    }

    /// <summary>
    /// YARP registers ASP.NET Core data protection (for cookie session affinity, which no route of ours uses), and
    /// its hosted service loads or creates an XML key ring at start: System.Private.Xml and friends in memory (~4 MB
    /// of the node's RSS) and a key file the node (root) writes under <c>$HOME/.aspnet</c>. Keys stay in memory and
    /// nothing is loaded at start. See docs/benchmarks.md, "Daemon memory".
    /// </summary>
    private static void KeepDataProtectionInMemory(IServiceCollection services)
    {
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(IHostedService) && services[i].ImplementationType?.Name == "DataProtectionHostedService")
            {
                services.RemoveAt(i);
            }
        }
    }
}
