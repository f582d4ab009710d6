using System.Runtime.InteropServices;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Status;
using GradientNode.Daemon.Configuration;
using GradientNode.Daemon.Security;
using GradientNode.Proxy;
using GradientNode.Proxy.Hosting;
using GradientNode.Proxy.Tls;

namespace GradientNode.Daemon.Hosting;

/// <summary>
/// Runs the long-lived roles until SIGINT/SIGTERM; SIGHUP re-reads specs and node.yaml. Talks to systemd when
/// <c>$NOTIFY_SOCKET</c> is set (READY, STATUS, WATCHDOG, STOPPING) through <see cref="SystemdNotifications"/>, not
/// through <c>UseSystemd()</c>'s lifetime: that one would send READY=1 when the host starts, before the first reconcile
/// pass (docs/design/systemd.md). Fatal errors end with a non-zero exit code:
/// a host that stops without being asked to, or a background service that failed.
/// </summary>
internal static class RoleRunner
{
    /// <summary>How long a stopping role waits for the proxy and the daemon host; TimeoutStopSec is above it.</summary>
    internal static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(20);

    /// <param name="reload">Re-reads the options (node.yaml, environment, command line) on SIGHUP.</param>
    public static async Task<int> RunAsync(string role, NodeOptions options, Func<NodeOptions>? reload = null)
    {
        var notifier = SystemdNotifications.FromProcess();
        using var stop = new CancellationTokenSource();
        var asked = false;
        void RequestStop(PosixSignalContext context)
        {
            context.Cancel = true;
            asked = true;
            stop.Cancel();
        }

        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);

        var tasks = new List<Task>();
        WebApplication? daemon = null;
        ProxyServer? proxy = null;
        DaemonReloader? reloader = null;
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            proxy?.ReloadCertificates();
            if (reloader is { } r)
            {
                _ = Task.Run(() => r.ReloadAsync(stop.Token));
            }
        });

        if (InheritedSignals.HangupIgnored())
        {
            Console.Error.WriteLine($"gradient-node {role}: warning: started with SIGHUP ignored (as under nohup), so `kill -HUP` will not reload; "
                + "restart to apply node.yaml or certificate changes, or start it without nohup (systemd never does this)");
        }

        if (InheritedSignals.InterruptIgnored())
        {
            // A non-interactive shell starts a background command (`gradient-node up &` in a script) with SIGINT ignored,
            // and .NET keeps that: Ctrl-C and `kill -INT` would do nothing. SIGTERM still stops it gracefully.
            Console.Error.WriteLine($"gradient-node {role}: warning: started with SIGINT ignored (as a script does for a command it runs in the background), "
                + $"so Ctrl-C and `kill -INT` will not stop it; stop it with `kill {Environment.ProcessId}` (SIGTERM), which drains it the same way");
        }

        var anyHttps = options.Listen.Any(url => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
        if (role is "up" or "proxy" && (options.TlsCert ?? options.TlsDir) is not null && !anyHttps)
        {
            Console.Error.WriteLine($"gradient-node {role}: warning: a certificate is set (--tls-cert or --tls-dir) but no listener is https://, "
                + "so nothing serves it; add one, e.g. --listen https://0.0.0.0:8443 (node.yaml listen:)");
        }

        var failed = false;
        var proxyStarted = false;
        NodeNameLease? lease = null;
        try
        {
            if (role is "up" or "daemon")
            {
                NodeDirectories.Prepare(options); // before the proxy starts: a folder it cannot have stops the start, naming it
                // Before anything listens: a second node of this name on this engine would remove the first one's replicas.
                lease = await NodeNameLease.AcquireAsync(options.NodeName, options.Engine.Host, Libc.GetEffectiveUserId(), TimeProvider.System, stop.Token);
                if (lease.Warning is { } leaseWarning)
                {
                    Console.Error.WriteLine($"gradient-node {role}: warning: {leaseWarning}");
                }
            }

            var inherited = SystemdSockets.FromProcess();
            var apiSocket = role is "up" or "daemon" ? InheritedUnixSocket.For(options.Socket, inherited.UnixSockets) : null;
            foreach (var line in InheritedSocketLines(role, options.Listen, options.Socket, inherited))
            {
                Console.Error.WriteLine(line);
            }

            if (role is "up" or "proxy")
            {
                // Built first: a bad certificate or key file stops the start before the daemon runs. Started first too,
                // so that `up` knows the ports it bound (a listen URL with port 0) before the daemon shows endpoints;
                // a second `up` beside a live one is refused before its proxy listens.
                if (role is "up" && apiSocket is null)
                {
                    DaemonHost.PrepareSocket(options.Socket);
                }

                proxy = ProxyServer.Create(ProxyOptionsFor(options) with { InheritedSockets = inherited.Sockets });
                await proxy.StartAsync(stop.Token);
                proxyStarted = true;
                tasks.Add(Task.Delay(Timeout.Infinite, stop.Token));
                options = options with { BoundListen = BoundListenUrls.Resolve(options.Listen, proxy.Urls) };
                Console.Error.WriteLine($"gradient-node {role}: proxy on {string.Join(", ", proxy.Urls)}; deployment NAME answers at {options.Reconciler.EndpointFor("NAME")}");
                if (anyHttps && options.TlsCert is null)
                {
                    // Without it a first curl fails with "unable to get local issuer certificate" and nothing on screen says why.
                    var stateDir = options.StateDir == new NodeOptions().StateDir ? "" : $" --state-dir {Path.GetFullPath(options.StateDir)}";
                    var which = options.TlsDir is null ? "https certificates come" : $"https certificates for hosts no certificate in {options.TlsDir} names come";
                    Console.Error.WriteLine($"gradient-node {role}: {which} from the node's own CA; clients trust it: gradient-node tls ca{stateDir} > gradient-node-ca.crt, then curl --cacert gradient-node-ca.crt");
                }
            }

            if (role is "up" or "daemon")
            {
                daemon = DaemonHost.Build(options, apiSocket);
                await daemon.StartAsync(stop.Token);
                tasks.Add(daemon.WaitForShutdownAsync(stop.Token));
                reloader = new DaemonReloader(daemon.Services, options, reload, notifier, () => Summary(daemon, null));
                Console.Error.WriteLine($"gradient-node {role}: API on {options.Socket}, specs in {Path.GetFullPath(options.SpecsDir)}");
            }

            var ended = Task.WhenAny(tasks);
            var reconciler = daemon?.Services.GetRequiredService<ReconcilerService>();
            if (reconciler is not null)
            {
                // Ready = the API serves, the spec directory was scanned and every deployment reconciled once.
                await Task.WhenAny(reconciler.FirstPass, ended);
            }

            if (!ended.IsCompleted)
            {
                notifier.Ready(Summary(daemon, proxy));
                tasks.Add(SystemdWatchdog.RunAsync(notifier, () => Alive(reconciler, options), () => Summary(daemon, proxy), TimeProvider.System, stop.Token));
            }

            var first = await ended;
            failed = !asked;
            stop.Cancel();
            await first;
            return Environment.ExitCode;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return Environment.ExitCode;
        }
        finally
        {
            notifier.Stopping(asked ? "stopping" : "stopping after a fatal error");
            using var grace = new CancellationTokenSource(StopGrace);
            if (proxy is not null)
            {
                if (proxyStarted)
                {
                    await proxy.StopAsync(grace.Token);
                }

                await proxy.DisposeAsync();
            }

            (int Replicas, int Runs)? left = null;
            if (daemon is not null)
            {
                await daemon.StopAsync(grace.Token);
                failed |= FaultedServices(daemon) is { Length: > 0 };
                left = StopSummary.Left(daemon);
                await daemon.DisposeAsync();
            }

            if (failed)
            {
                // systemd restarts on a non-zero exit only (Restart=on-failure).
                Console.Error.WriteLine($"gradient-node {role}: stopped because of a fatal error (see the log above); exiting 1");
                Environment.ExitCode = Environment.ExitCode == 0 ? 1 : Environment.ExitCode;
            }
            else if (asked && left is { } running)
            {
                Console.Error.WriteLine(StopSummary.Line(role, options.NodeName, running.Replicas, running.Runs));
            }

            // Last: the name stays taken until this node's replicas are no longer being looked after.
            lease?.Dispose();
        }
    }

    /// <summary>One line for systemctl status: deployments ready / total, and the proxy's routes.</summary>
    internal static string Summary(WebApplication? daemon, ProxyServer? proxy)
    {
        var parts = new List<string>();
        if (daemon?.Services.GetService<StatusStore>() is { } statuses)
        {
            var all = statuses.All;
            parts.Add($"{all.Count(s => s.State == DeploymentState.Ready)}/{all.Count} deployments ready");
        }

        if (proxy is not null)
        {
            parts.Add($"proxy on {string.Join(", ", proxy.Urls)} with {proxy.Routes.Deployments.Count} route(s)");
        }

        return string.Join("; ", parts);
    }

    private static bool Alive(ReconcilerService? reconciler, NodeOptions options)
    {
        if (reconciler is null)
        {
            return true;
        }

        var tolerance = (options.Reconciler.ResyncPeriod * 2) + TimeSpan.FromSeconds(10);
        return reconciler.ExecuteTask is { IsCompleted: false }
            && reconciler.SinceResync is { } since
            && since < tolerance;
    }

    private static string[] FaultedServices(WebApplication app) =>
        [.. app.Services.GetServices<IHostedService>().OfType<BackgroundService>().Where(s => s.ExecuteTask is { IsFaulted: true }).Select(s => s.GetType().Name)];

    /// <summary>
    /// What the role says about the sockets systemd passed: which listen URL each TCP socket serves and whether the API is
    /// served on the unix socket (connections then wait in its queue through a restart instead of being refused), and a
    /// warning for a socket that nothing of this role serves.
    /// </summary>
    internal static IEnumerable<string> InheritedSocketLines(string role, IReadOnlyList<string> listen, string apiSocket, SystemdSockets.Taken inherited)
    {
        var proxy = role is "up" or "proxy";
        var api = role is "up" or "daemon";
        var used = new HashSet<InheritedSocket>();
        foreach (var url in proxy ? listen : [])
        {
            if (InheritedSocket.For(url, inherited.Sockets) is { } socket)
            {
                used.Add(socket);
                yield return $"gradient-node {role}: {url} is served on the socket systemd holds ({socket.EndPoint}); connections wait in it through a restart";
            }
        }

        foreach (var socket in inherited.Sockets.Where(s => !used.Contains(s)))
        {
            yield return proxy
                ? $"gradient-node {role}: warning: systemd passed a socket on {socket.EndPoint} that no listen URL names, so nothing serves it; "
                    + "name it in --listen (node.yaml listen:) or remove it from the socket unit"
                : $"gradient-node {role}: warning: systemd passed a TCP socket on {socket.EndPoint}; the daemon serves its API on a unix socket only "
                    + "(the proxy's sockets belong to gradient-node-proxy.socket), so it is not used";
        }

        var served = api ? InheritedUnixSocket.For(apiSocket, inherited.UnixSockets) : null;
        if (served is not null)
        {
            yield return $"gradient-node {role}: the API socket {served.Path} is the one systemd holds; CLI connections wait in it through a restart";
        }

        foreach (var socket in inherited.UnixSockets.Where(s => s != served))
        {
            yield return api
                ? $"gradient-node {role}: warning: systemd passed the unix socket {socket.Path}, which is not the API socket {Path.GetFullPath(apiSocket)} (--socket), "
                    + "so nothing serves it; make the socket unit's ListenStream= and --socket the same path"
                : $"gradient-node {role}: warning: systemd passed the unix socket {socket.Path}; the proxy serves TCP sockets only, so it is not used";
        }

        foreach (var skipped in inherited.Skipped)
        {
            yield return $"gradient-node {role}: warning: systemd passed {skipped}, so it is not used";
        }
    }

    private static ProxyOptions ProxyOptionsFor(NodeOptions options) => new()
    {
        ListenUrls = options.Listen,
        Domain = options.Domain,
        RunDir = options.RunDir,
        ReadyWaitTimeout = options.ReadyWait,
        MaxHeldRequestsPerDeployment = options.MaxHeldRequests,
        MaxConnectionsPerAddress = options.MaxConnectionsPerAddress,
        ConfigureLogging = Logging.Configure,
        Tls = new ProxyTlsOptions
        {
            CertificateFile = options.TlsCert,
            KeyFile = options.TlsKey,
            CertificateDirectory = options.TlsDir,
            AuthorityDirectory = NodeCertificateAuthority.DirectoryUnder(options.StateDir),
            RedirectHttp = options.HttpsRedirect,
            HstsMaxAge = options.Hsts,
        },
    };
}
