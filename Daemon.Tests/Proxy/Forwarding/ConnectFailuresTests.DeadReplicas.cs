using System.Net;
using System.Net.Sockets;
using GradientNode.Core.Routing;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Forwarding;

/// <summary>Replicas that stay dead (faults15): known dead ones cost a request nothing, and their failures are logged once.</summary>
internal sealed partial class ConnectFailuresTests
{
    [Test]
    public async Task Request_EveryReplicaDeadAfterItsCooldown_503WellUnderASecondNotAConnectTimeoutPerReplica()
    {
        var logs = new RecordingLoggerProvider();
        var a = await SilentAddressAsync();
        var b = await SilentAddressAsync();
        var proxy = await ProxyAsync(
            o => o with { ConnectTimeout = TimeSpan.FromSeconds(1), ConnectFailedCooldown = TimeSpan.FromMilliseconds(200) }, logs,
            new ReplicaRoute("a", a, true), new ReplicaRoute("b", b, true));
        using (var first = await proxy.Client.GetAsync(proxy.Url("hello")))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "the first request finds out (a connect timeout per replica)");
        }

        await TestTimeouts.HoldAsync("past several cooldowns: the proxy tried the replicas again, and they still do not answer", TimeSpan.FromMilliseconds(700));
        using var later = await proxy.Client.GetAsync(proxy.Url("hello"));
        var (stats, _) = await proxy.StatsWhenAsync("hello", d => d.Forwarded.Requests + d.Local.Requests >= 2, "both requests in the stats file");

        // Before (faults15): YARP put each replica back after its cooldown, and this request was sent to them again: it waited
        // the connect timeout for each (here 1 s; live 2 s each, 8 s at most) before the same 503.
        Assert.Multiple(async () =>
        {
            Assert.That(later.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(await later.Content.ReadAsStringAsync(), Does.Contain("deployment 'hello': none of its replicas accepts connections"));
            Assert.That(stats.Forwarded.Requests, Is.EqualTo(1), "known dead: the later request answered by the proxy, no replica tried");
            Assert.That(logs.Entries.Count(e => e.Message.Contains("did not accept the connection", StringComparison.Ordinal)), Is.EqualTo(2), "each logged once, not at each try");
        });
    }

    [Test]
    public async Task Request_ReplicaResetsEveryConnection_OneWarningNotOnePerRequest()
    {
        var logs = new RecordingLoggerProvider();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource();
        var resetting = ResetEachConnectionAsync(listener, stop.Token);
        try
        {
            var proxy = await ProxyAsync(logs, TimeSpan.FromSeconds(2), new ReplicaRoute("rude", $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}", true));
            for (var i = 0; i < 20; i++)
            {
                using var get = await proxy.Client.GetAsync(proxy.Url("hello"));
                Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway), $"GET #{i}");
            }

            // Before (faults15): one warning per request, as long as the replica kept failing.
            var failed = logs.Entries.Where(e => e.Message.Contains("forwarding to", StringComparison.Ordinal)).ToList();
            Assert.That(failed, Has.Count.EqualTo(1), "the first, then at most one a minute saying how many more");
            Assert.That(failed[0].Level, Is.EqualTo(LogLevel.Warning));
        }
        finally
        {
            await stop.CancelAsync();
            listener.Stop();
            await resetting;
        }
    }

    private static async Task ResetEachConnectionAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync(cancellationToken);
                client.LingerState = new LingerOption(true, 0); // closed with a reset
                var buffer = new byte[4096];
                _ = await client.GetStream().ReadAsync(buffer, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
        }
    }
}
