using System.Net;
using System.Net.Sockets;
using GradientNode.Core.Routing;
using GradientNode.Proxy;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Proxy.Hosting;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Forwarding;

/// <summary>
/// Passive health (faults10: dockerd stopped with live-restore off left the route table naming dead addresses): a
/// replica whose connect fails is retried elsewhere and left out of rotation for the cooldown, and a deployment with
/// none left answers 503 at once with a reason.
/// </summary>
[TestFixture]
[Category("Proxy")]
[NonParallelizable]
internal sealed partial class ConnectFailuresTests
{
    private readonly List<IAsyncDisposable> _disposables = [];
    private readonly List<IDisposable> _sockets = [];

    [TearDown]
    public async Task TearDown()
    {
        for (var i = _disposables.Count - 1; i >= 0; i--)
        {
            await _disposables[i].DisposeAsync();
        }

        _disposables.Clear();
        _sockets.ForEach(s => s.Dispose());
        _sockets.Clear();
    }

    [Test]
    public async Task Request_OnlyReplicaRefusesConnections_NextRequestGets503AtOnceWithReason()
    {
        var logs = new RecordingLoggerProvider();
        var proxy = await ProxyAsync(logs, TimeSpan.FromSeconds(2), new ReplicaRoute("gone", $"127.0.0.1:{ClosedPort()}", true));

        using var first = await proxy.Client.GetAsync(proxy.Url("hello"));
        using var second = await proxy.Client.GetAsync(proxy.Url("hello"));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "the first request finds out, and nothing of it was sent");
        Assert.That(await first.Content.ReadAsStringAsync(), Does.Contain("deployment 'hello': none of its replicas accepts connections"));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "the replica is out of rotation");
        Assert.That(second.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromMinutes(10)));
        Assert.That(await second.Content.ReadAsStringAsync(), Does.Contain("deployment 'hello': none of its replicas accepts connections"));
        var outOfRotation = logs.Entries.Where(e => e.Message.Contains("tried again every 600 s until it accepts one", StringComparison.Ordinal)).ToList();
        Assert.That(outOfRotation, Has.Count.EqualTo(1), "logged once, not per request");
        Assert.That(outOfRotation[0].Level, Is.EqualTo(LogLevel.Warning));
        Assert.That(outOfRotation[0].Message, Does.Contain("replica gone"));
        // Shared with the daemon through the stats file: its status names the replicas the proxy took out (RotationOverlay).
        var (stats, _) = await proxy.StatsWhenAsync("hello", d => d.Replicas.Any(r => r.OutOfRotation is not null), "the replica out of rotation in the stats file");
        var gone = stats.Replicas.Single(r => r.Id == "gone").OutOfRotation!;
        Assert.That(gone.Reason, Does.Contain("Connection refused"));
        Assert.That(gone.Until - gone.Since, Is.EqualTo(TimeSpan.FromMinutes(10)).Within(TimeSpan.FromSeconds(5)), "since the first failed connect, for the cooldown");
    }

    [Test]
    public async Task Request_EveryReplicaOutOfRotation_NoLogLinePerRequest()
    {
        var logs = new RecordingLoggerProvider();
        var proxy = await ProxyAsync(logs, TimeSpan.FromSeconds(2), new ReplicaRoute("gone", $"127.0.0.1:{ClosedPort()}", true));
        using (await proxy.Client.GetAsync(proxy.Url("hello")))
        {
        }

        var before = logs.Entries.Count;
        for (var i = 0; i < 10; i++)
        {
            using var get = await proxy.Client.GetAsync(proxy.Url("hello"));
            Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), $"GET #{i}");
        }

        // Before: YARP's "No available destinations after load balancing" twice per request (faults11: 20 lines a second).
        Assert.That(logs.Entries.Skip(before).Where(e => e.Level >= LogLevel.Warning).Select(e => $"{e.Category}: {e.Message}"), Is.Empty, "the 503 says why; the replica taken out was logged once");
    }

    [Test]
    public async Task Request_DeadAndLiveReplica_AllServedAndTheDeadOneTakenOutOfRotationOnce()
    {
        var logs = new RecordingLoggerProvider();
        var live = await BackendAsync("live");
        var proxy = await ProxyAsync(
            logs, TimeSpan.FromSeconds(2),
            new ReplicaRoute("dead", $"127.0.0.1:{ClosedPort()}", true), new ReplicaRoute("live", live.Address, true));

        for (var i = 0; i < 20; i++)
        {
            using var get = await proxy.Client.GetAsync(proxy.Url("hello"));
            Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"GET #{i}");
        }

        var outOfRotation = logs.Entries.Where(e => e.Message.Contains("replica dead at", StringComparison.Ordinal)).ToList();
        Assert.That(outOfRotation, Has.Count.EqualTo(1), "taken out at its first failed connect (one of 20 picks), then left out");
        Assert.That(outOfRotation[0].Message, Does.Contain("tried again every 600 s until it accepts one"));
    }

    [Test]
    public async Task Request_ReplicaWhoseConnectTimesOut_RetriedOnTheLiveOneAndLeftOut()
    {
        var logs = new RecordingLoggerProvider();
        var live = await BackendAsync("live");
        var silent = await SilentAddressAsync();
        var proxy = await ProxyAsync(
            logs, TimeSpan.FromMilliseconds(300),
            new ReplicaRoute("silent", silent, true), new ReplicaRoute("live", live.Address, true));

        for (var i = 0; i < 10; i++)
        {
            using var get = await proxy.Client.GetAsync(proxy.Url("hello"));
            Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"GET #{i}: a connect timeout is retried like a refusal");
        }

        var outOfRotation = logs.Entries.Where(e => e.Message.Contains("replica silent at", StringComparison.Ordinal)).ToList();
        Assert.That(outOfRotation, Has.Count.EqualTo(1), "taken out of rotation at its first timeout (one of 10 picks), then left out");
    }

    [Test]
    public async Task Request_OnlyReplicaWhoseConnectTimesOut_503WithTheReasonNot504()
    {
        var logs = new RecordingLoggerProvider();
        var silent = await SilentAddressAsync();
        var proxy = await ProxyAsync(logs, TimeSpan.FromMilliseconds(300), new ReplicaRoute("silent", silent, true));

        using var first = await proxy.Client.GetAsync(proxy.Url("hello"));

        // Before: 504 'its replica did not answer in time', though no connection was ever made (faults11, live: one per cooldown).
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(first.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromMinutes(10)));
        Assert.That(await first.Content.ReadAsStringAsync(), Does.Contain("deployment 'hello': none of its replicas accepts connections"));
    }

    [Test]
    public async Task Request_ReplicaOutOfRotationStartsListening_ServedAgainAfterTheCooldown()
    {
        var port = ClosedPort();
        var proxy = await ProxyAsync(o => o with { ConnectFailedCooldown = TimeSpan.FromMilliseconds(200) }, new RecordingLoggerProvider(), new ReplicaRoute("late", $"127.0.0.1:{port}", true));
        using (var first = await proxy.Client.GetAsync(proxy.Url("hello")))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        }

        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        using var stop = new CancellationTokenSource();
        var answering = AnswerOkAsync(listener, stop.Token);
        try
        {
            await TestTimeouts.WaitUntilAsync(
                async () =>
                {
                    using var get = await proxy.Client.GetAsync(proxy.Url("hello"));
                    return get.StatusCode == HttpStatusCode.OK;
                },
                TestTimeouts.Condition,
                () => "the replica back in rotation once its cooldown passed and it accepts connections");
            await proxy.StatsWhenAsync("hello", d => d.Replicas.Single(r => r.Id == "late").OutOfRotation is null, "the replica in rotation again in the stats file once a request reached it");
        }
        finally
        {
            await stop.CancelAsync();
            listener.Stop();
            await answering;
        }
    }

    private static async Task AnswerOkAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        var answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8.ToArray();
        try
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync(cancellationToken);
                var stream = client.GetStream();
                var buffer = new byte[4096];
                _ = await stream.ReadAsync(buffer, cancellationToken);
                await stream.WriteAsync(answer, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
        }
    }

    private async Task<TestBackend> BackendAsync(string name)
    {
        var backend = await TestBackend.StartAsync(name);
        _disposables.Add(backend);
        return backend;
    }

    private Task<ProxyHarness> ProxyAsync(RecordingLoggerProvider logs, TimeSpan connectTimeout, params ReplicaRoute[] replicas) =>
        ProxyAsync(o => o with { ConnectTimeout = connectTimeout, ConnectFailedCooldown = TimeSpan.FromMinutes(10) }, logs, replicas);

    /// <summary>A proxy for deployment <c>hello</c> with <paramref name="replicas"/>, disposed after the test (before the backends).</summary>
    private async Task<ProxyHarness> ProxyAsync(Func<ProxyOptions, ProxyOptions> configure, RecordingLoggerProvider logs, params ReplicaRoute[] replicas)
    {
        var proxy = await ProxyHarness.StartAsync(configure, logs, new DeploymentRoute("hello", "hello", true, replicas));
        _disposables.Insert(0, proxy);
        return proxy;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>
    /// A loopback address whose connects neither succeed nor fail: a listener with a backlog of 0 that never accepts, its
    /// accept queue filled, so Linux drops further SYNs (a replica whose host is gone, as a stopped container's address).
    /// </summary>
    private async Task<string> SilentAddressAsync()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _sockets.Add(listener);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        for (var i = 0; i < 8; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _sockets.Add(filler);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            try
            {
                await filler.ConnectAsync(endpoint, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                return endpoint.ToString();
            }
        }

        Assert.Inconclusive("the listener's accept queue did not fill; its connects still succeed");
        return string.Empty;
    }
}
