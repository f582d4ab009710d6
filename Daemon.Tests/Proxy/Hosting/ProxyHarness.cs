using System.Net;
using System.Net.Sockets;
using GradientNode.Core.Routing;
using GradientNode.Core.Traffic;
using GradientNode.Proxy;
using GradientNode.Proxy.Metrics;
using GradientNode.Proxy.Hosting;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradientNode.Tests.Proxy.Hosting;

/// <summary>
/// A real proxy on 127.0.0.1 (ephemeral port) with a temp run dir. Its client connects every host name to the
/// proxy's port, so <c>http://hello.test.local:PORT/</c> goes through the proxy with a realistic Host header.
/// </summary>
internal sealed class ProxyHarness : IAsyncDisposable
{
    public const string Domain = "test.local";

    private long _version;

    private ProxyHarness(string runDir, ProxyServer server, int port)
    {
        RunDir = runDir;
        Server = server;
        Port = port;
        Store = new RouteTableStore(runDir);
        Handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        Client = new HttpClient(Handler, disposeHandler: false) { Timeout = TestTimeouts.Request };
    }

    public string RunDir { get; }

    public ProxyServer Server { get; }

    public int Port { get; }

    public RouteTableStore Store { get; }

    public SocketsHttpHandler Handler { get; }

    public HttpClient Client { get; }

    public static Task<ProxyHarness> StartAsync(TimeSpan? readyWait = null, params DeploymentRoute[] initial) =>
        StartAsync(o => o with { ReadyWaitTimeout = readyWait ?? TimeSpan.FromSeconds(10) }, initial);

    /// <summary>Starts a proxy whose options the test adjusts (<paramref name="configure"/> gets the harness defaults).</summary>
    public static Task<ProxyHarness> StartAsync(Func<ProxyOptions, ProxyOptions> configure, params DeploymentRoute[] initial) =>
        StartAsync(configure, NullLoggerProvider.Instance, initial);

    /// <summary>As <see cref="StartAsync(Func{ProxyOptions, ProxyOptions}, DeploymentRoute[])"/>, logging to <paramref name="logs"/>.</summary>
    public static async Task<ProxyHarness> StartAsync(Func<ProxyOptions, ProxyOptions> configure, ILoggerProvider logs, params DeploymentRoute[] initial)
    {
        var runDir = Directory.CreateTempSubdirectory("gn-proxy-").FullName;
        if (initial.Length > 0)
        {
            new RouteTableStore(runDir).Write(new RouteTable(1, DateTimeOffset.UtcNow, initial));
        }

        var server = ProxyServer.Create(
            configure(new ProxyOptions
            {
                ListenUrls = ["http://127.0.0.1:0"],
                Domain = Domain,
                RunDir = runDir,
                ReadyWaitTimeout = TimeSpan.FromSeconds(10),
                RoutePollInterval = TimeSpan.FromMilliseconds(100),
                StatsWriteInterval = TimeSpan.FromMilliseconds(200),
            }),
            logs);
        await server.StartAsync(CancellationToken.None);
        var port = new Uri(server.Urls[0]).Port;
        var harness = new ProxyHarness(runDir, server, port) { _version = initial.Length > 0 ? 1 : 0 };
        return harness;
    }

    /// <summary>A client like <see cref="Client"/> whose connections come from <paramref name="source"/> (a loopback address such as 127.0.0.2).</summary>
    public HttpClient ClientFrom(IPAddress source) =>
        new(new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        })
        { Timeout = TestTimeouts.Request };

    public Uri Url(string slug, string path = "/") => new($"http://{slug}.{Domain}:{Port}{path}");

    /// <summary>Writes a new route table without waiting for the proxy.</summary>
    public long Write(params DeploymentRoute[] deployments)
    {
        var version = Interlocked.Increment(ref _version);
        Store.Write(new RouteTable(version, DateTimeOffset.UtcNow, deployments));
        return version;
    }

    /// <summary>Writes a new route table and waits until the proxy serves it.</summary>
    public async Task PublishAsync(params DeploymentRoute[] deployments)
    {
        var version = Write(deployments);
        await TestTimeouts.WaitUntilAsync(() => Server.Routes.Version == version, $"routes version {version}");
    }

    /// <summary>One deployment's figures from the proxy's stats file (what the daemon reads), null before it lists it.</summary>
    public DeploymentTraffic? Stats(string slug) =>
        TrafficFile.TryRead(RunDir, out _)?.Deployments.SingleOrDefault(d => d.Slug == slug);

    /// <summary>Waits until the stats file shows <paramref name="condition"/> for the deployment; those stats, rendered too.</summary>
    public async Task<(DeploymentTraffic Stats, string Prometheus)> StatsWhenAsync(
        string slug, Func<DeploymentTraffic, bool> condition, string what)
    {
        TrafficSnapshot? file = null;
        await TestTimeouts.WaitUntilAsync(
            () => (file = TrafficFile.TryRead(RunDir, out _))?.Deployments.SingleOrDefault(d => d.Slug == slug) is { } d && condition(d),
            what);
        return (file!.Deployments.Single(d => d.Slug == slug), PrometheusTextRenderer.Render(file));
    }

    public static DeploymentRoute Route(string slug, params TestBackend[] ready) =>
        new(slug, slug, true, [.. ready.Select(b => new ReplicaRoute(b.Name, b.Address, true))]);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Handler.Dispose();
        await Server.StopAsync(CancellationToken.None);
        await Server.DisposeAsync();
        Directory.Delete(RunDir, recursive: true);
    }
}
