using GradientNode.Daemon.Configuration;
using GradientNode.Proxy.Hosting;

namespace GradientNode.Daemon.Hosting;

/// <summary>Runs the long-lived roles until SIGINT/SIGTERM. Fatal errors end with a non-zero exit code.</summary>
internal static class Roles
{
    public static async Task<int> RunAsync(string role, NodeOptions options)
    {
        using var stop = new CancellationTokenSource();
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        var tasks = new List<Task>();
        WebApplication? daemon = null;
        ProxyServer? proxy = null;
        try
        {
            if (role is "up" or "daemon")
            {
                daemon = DaemonHost.Build(options);
                await daemon.StartAsync(stop.Token);
                tasks.Add(daemon.WaitForShutdownAsync(stop.Token));
                Console.Error.WriteLine($"gradient-node {role}: API on {options.Socket}, specs in {Path.GetFullPath(options.SpecsDir)}");
            }

            if (role is "up" or "proxy")
            {
                proxy = ProxyServer.Create(ProxyOptionsFor(options));
                await proxy.StartAsync(stop.Token);
                tasks.Add(Task.Delay(Timeout.Infinite, stop.Token));
                Console.Error.WriteLine($"gradient-node {role}: proxy on {string.Join(", ", proxy.Urls)}; deployment NAME answers at {options.Reconciler.EndpointFor("NAME")}");
            }

            var first = await Task.WhenAny(tasks);
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
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            if (proxy is not null)
            {
                await proxy.StopAsync(grace.Token);
                await proxy.DisposeAsync();
            }

            if (daemon is not null)
            {
                await daemon.StopAsync(grace.Token);
                await daemon.DisposeAsync();
            }
        }
    }

    private static ProxyOptions ProxyOptionsFor(NodeOptions options) => new()
    {
        ListenUrls = options.Listen,
        Domain = options.Domain,
        RunDir = options.RunDir,
        ReadyWaitTimeout = options.ReadyWait,
        ConfigureLogging = Logging.Configure,
    };
}
