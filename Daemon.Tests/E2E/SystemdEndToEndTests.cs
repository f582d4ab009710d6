using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// The published binary as systemd runs it: sd_notify to a test datagram socket, the API socket's peer
/// credential check with a real non-member user, and a graceful daemon restart behind a separate proxy.
/// </summary>
[TestFixture]
[Category("E2E")]
[NonParallelizable]
public sealed class SystemdEndToEndTests
{
    private readonly List<GradientNodeProcess> _processes = [];
    private readonly List<string> _cleanup = [];

    [TearDown]
    public async Task TearDown()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        _processes.Clear();
        foreach (var command in _cleanup)
        {
            await ShellTool.RunAsync("/bin/sh", ["-c", command]);
        }

        _cleanup.Clear();
    }

    [Test]
    public async Task Daemon_UnderNotifySocket_ReadyWatchdogThenStoppingOnSigterm()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        var daemon = GradientNodeProcess.Prepare().Sibling("daemon");
        _processes.Add(daemon);
        Directory.CreateDirectory(daemon.RunDir);
        var notifyPath = Path.Combine(daemon.Root, "notify.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(notifyPath));
        daemon.ExtraEnvironment["NOTIFY_SOCKET"] = notifyPath;
        daemon.ExtraEnvironment["WATCHDOG_USEC"] = "2000000";
        await daemon.WriteSpecAsync("web.yaml", SpecYaml.V1("notified", replicas: 1));

        await daemon.StartAsync(extraArgs: []);

        var ready = await ReceiveUntilAsync(listener, m => m.Contains("READY=1", StringComparison.Ordinal));
        Assert.That(ready, Does.Contain("STATUS=").And.Contain("deployments ready"));
        var status = await daemon.StatusAsync("notified");
        Assert.That(status, Is.Not.Null, "READY=1 comes after the first reconcile pass, which knows the deployment");
        await ReceiveUntilAsync(listener, m => m.Contains("WATCHDOG=1", StringComparison.Ordinal));

        await daemon.StopAsync();

        var messages = await DrainAsync(listener);
        Assert.That(messages, Has.Some.Contains("STOPPING=1"));
        Assert.That(daemon.ExitCode, Is.Zero, daemon.Output);
    }

    [Test]
    public async Task Proxy_UnderNotifySocket_ReadyWatchdogThenStoppingOnSigterm()
    {
        var proxy = GradientNodeProcess.Prepare().Sibling("proxy");
        _processes.Add(proxy);
        Directory.CreateDirectory(proxy.RunDir);
        var notifyPath = Path.Combine(proxy.Root, "notify.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(notifyPath));
        proxy.ExtraEnvironment["NOTIFY_SOCKET"] = notifyPath;
        proxy.ExtraEnvironment["WATCHDOG_USEC"] = "2000000";

        await proxy.StartAsync(extraArgs: []);

        var ready = await ReceiveUntilAsync(listener, m => m.Contains("READY=1", StringComparison.Ordinal));
        Assert.That(ready, Does.Contain("STATUS=proxy on ").And.Contain($"MAINPID={proxy.Pid}"));
        await ReceiveUntilAsync(listener, m => m.Contains("WATCHDOG=1", StringComparison.Ordinal));

        await proxy.StopAsync();

        var messages = await DrainAsync(listener);
        Assert.That(messages, Has.Some.Contains("STOPPING=1"));
        Assert.That(proxy.ExitCode, Is.Zero, proxy.Output);
    }

    [Test]
    public async Task ApiSocket_NonMemberUser_RefusedEvenWithTheFileModeLoosened()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        var setpriv = ShellTool.Require("setpriv", "util-linux");
        var curl = ShellTool.Require("curl", "curl");
        TestEnvironment.RequireRoot("needs root to create throwaway users");

        var (group, member, stranger) = await ThrowawayUsers.CreateAsync(_cleanup, withStranger: true);

        var daemon = GradientNodeProcess.Prepare().Sibling("daemon");
        _processes.Add(daemon);
        await daemon.StartAsync(extraArgs: ["--socket-group", group]);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(File.GetUnixFileMode(daemon.Socket).HasFlag(UnixFileMode.GroupWrite)), TestTimeouts.Short, "the socket's mode to be set");
        Assert.That(File.GetUnixFileMode(daemon.Socket) & (UnixFileMode)0b111_111_111, Is.EqualTo((UnixFileMode)0b110_110_000), "0660");
        var (_, stat) = await ShellTool.RunAsync("stat", ["-c", "%G", daemon.Socket]);
        Assert.That(stat.Trim(), Is.EqualTo(group));

        // Loosen the mode: only the peer-credential check stands between a stranger and the API now.
        File.SetUnixFileMode(daemon.Socket, (UnixFileMode)0b110_110_110);
        foreach (var dir in new[] { daemon.Root, daemon.RunDir })
        {
            File.SetUnixFileMode(dir, File.GetUnixFileMode(dir) | UnixFileMode.OtherExecute);
        }

        async Task<(int Code, string Output)> CurlAs(string user) =>
            await ShellTool.RunAsync(setpriv, [$"--reuid={user}", $"--regid={user}", "--init-groups", curl, "-sS", "-w", "\n%{http_code}", "--unix-socket", daemon.Socket, "http://gradient-node/v1/health"]);

        var refused = await CurlAs(stranger);
        Assert.That(refused.Output, Does.EndWith("\n403").And.Contain("permission denied"), refused.Output);
        // The log line reaches the daemon's captured output a moment after the 403 reached curl.
        await TestTimeouts.WaitUntilAsync(
            () => Task.FromResult(daemon.Output.Contains("refused a connection", StringComparison.Ordinal)),
            TestTimeouts.Short,
            "the refusal in the daemon's log");

        var allowed = await CurlAs(member);
        Assert.That(allowed.Output, Does.EndWith("\n200"), allowed.Output);

        var asRoot = await daemon.CliAsync("ls");
        Assert.That(asRoot.ExitCode, Is.Zero, asRoot.Stderr);
    }

    [Test]
    public async Task Daemon_GracefulRestartBehindASeparateProxy_NoRequestFails()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        var daemon = GradientNodeProcess.Prepare().Sibling("daemon");
        _processes.Add(daemon);
        await daemon.StartAsync(extraArgs: []);
        var proxy = daemon.Sibling("proxy");
        _processes.Add(proxy);
        await proxy.StartAsync(extraArgs: []);
        await daemon.WriteSpecAsync("web.yaml", SpecYaml.V1("upgrade", replicas: 2));
        await daemon.WaitForStatusAsync("upgrade", s => s.State == DeploymentState.Ready, "Ready");
        await proxy.WaitForRouteAsync("upgrade");

        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, 4).Select(_ => RequestLoopAsync(proxy, "upgrade", stop.Token)).ToList();
        await TestTimeouts.HoldAsync("the request loops run before the change", TimeSpan.FromSeconds(1));
        await daemon.StopAsync(); // SIGTERM, as systemctl restart does
        Assert.That(daemon.ExitCode, Is.Zero, daemon.Output);
        await TestTimeouts.HoldAsync("the proxy serves on while the daemon is down", TimeSpan.FromSeconds(2));
        await daemon.StartAsync(extraArgs: []);
        await daemon.WaitForStatusAsync("upgrade", s => s.State == DeploymentState.Ready, "Ready after the restart");
        await TestTimeouts.HoldAsync("the request loops run on after the restart", TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        var results = await Task.WhenAll(loops);

        Assert.That(results.Sum(r => r.Failed), Is.Zero, string.Join("; ", results.SelectMany(r => r.Errors).Distinct().Take(5)));
        Assert.That(results.Sum(r => r.Ok), Is.GreaterThan(50), "the loop must have run through the restart");
    }

    private static async Task<(int Ok, int Failed, List<string> Errors)> RequestLoopAsync(GradientNodeProcess proxy, string slug, CancellationToken stop)
    {
        using var http = new HttpClient { Timeout = TestTimeouts.Request };
        int ok = 0, failed = 0;
        var errors = new List<string>();
        for (var i = 0; i < 100_000 && !stop.IsCancellationRequested; i++)
        {
            try
            {
                using var response = await http.SendAsync(proxy.ProxyRequest(slug, "/"), CancellationToken.None);
                if (response.IsSuccessStatusCode)
                {
                    ok++;
                }
                else
                {
                    failed++;
                    errors.Add($"HTTP {(int)response.StatusCode}");
                }
            }
            catch (HttpRequestException ex)
            {
                failed++;
                errors.Add(ex.Message);
            }
        }

        return (ok, failed, errors);
    }

    private static async Task<string> ReceiveUntilAsync(Socket socket, Func<string, bool> match)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TestTimeouts.Container);
        var seen = new List<string>();
        while (true)
        {
            int length;
            try
            {
                length = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"no matching sd_notify message; got: {string.Join(" | ", seen)}");
                throw;
            }

            var message = Encoding.UTF8.GetString(buffer, 0, length);
            seen.Add(message.Replace('\n', ' '));
            if (match(message))
            {
                return message;
            }
        }
    }

    private static async Task<List<string>> DrainAsync(Socket socket)
    {
        var messages = new List<string>();
        var buffer = new byte[4096];
        while (socket.Available > 0)
        {
            var length = await socket.ReceiveAsync(buffer, SocketFlags.None);
            messages.Add(Encoding.UTF8.GetString(buffer, 0, length));
        }

        return messages;
    }
}
