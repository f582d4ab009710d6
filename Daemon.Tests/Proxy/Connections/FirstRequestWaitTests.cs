using System.Net;
using System.Net.Sockets;
using System.Text;
using GradientNode.Tests.Infrastructure;
using GradientNode.Proxy.Connections;
using GradientNode.Proxy.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Connections;

/// <summary>
/// A connection Kestrel accepted just before its stop, whose request comes once the stop has begun (as a request the
/// kernel had queued but Kestrel had not read yet): a real Kestrel on loopback, with the proxy's listener setup, and
/// Kestrel alone to show the cause (docs/design/systemd.md, "A request across a restart").
/// </summary>
[TestFixture]
[Category("Proxy")]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
internal sealed class FirstRequestWaitTests
{
    private readonly TaskCompletionSource _accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closeRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Test]
    public async Task Middleware_RequestSentAfterTheStopBeganOnAConnectionAcceptedBefore_Answered()
    {
        // Before: Kestrel ended the connection as idle (its request not read) and the client read nothing.
        var (app, port) = await StartAsync(kestrel => KestrelListeners.Configure(kestrel, [$"http://127.0.0.1:{FreePort()}"], null, [], Signal));
        await using var _ = app;
        using var client = await AcceptedAsync(app);

        var stopping = app.StopAsync();
        await _closeRequested.Task.WaitAsync(TestTimeouts.Request);
        var status = await SendAsync(client, port);
        await stopping.WaitAsync(TestTimeouts.Request);

        Assert.That(status, Is.EqualTo("HTTP/1.1 200 OK"));
    }

    [Test]
    public async Task Middleware_NothingSentWithinTheGraceAfterTheStopBegan_HeldUntilTheGraceThenClosedAndTheStopEnds()
    {
        var clock = new FakeTimeProvider();
        var port = FreePort();
        var (app, _) = await StartAsync(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.Use(Signal).Use(FirstRequestWait.Middleware(clock))));
        await using var __ = app;
        using var client = await AcceptedAsync(app);

        var stopping = app.StopAsync();
        await _closeRequested.Task.WaitAsync(TestTimeouts.Request);
        var reading = client.GetStream().ReadAsync(new byte[16]).AsTask();
        await TestTimeouts.HoldAsync("time for a close that must not come before the grace", TimeSpan.FromMilliseconds(300), CancellationToken.None);
        var heldMeanwhile = !reading.IsCompleted && !stopping.IsCompleted;
        clock.Advance(FirstRequestWait.Grace);
        var read = await reading.WaitAsync(TestTimeouts.Request);
        await stopping.WaitAsync(TestTimeouts.Request);

        Assert.Multiple(() =>
        {
            Assert.That(heldMeanwhile, Is.True, "the connection waits for its request during the grace");
            Assert.That(read, Is.Zero, "then it is closed without an answer, as an idle connection is");
        });
    }

    [Test]
    public async Task Middleware_KeepAliveConnectionIdleAfterAnAnswer_ClosedWithoutWaitingForTheGrace()
    {
        var clock = new FakeTimeProvider();
        var port = FreePort();
        var (app, _) = await StartAsync(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.Use(Signal).Use(FirstRequestWait.Middleware(clock))));
        await using var __ = app;
        using var client = await AcceptedAsync(app);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"));
        var answer = new byte[4096];
        var got = await stream.ReadAsync(answer).AsTask().WaitAsync(TestTimeouts.Request);
        Assert.That(Encoding.ASCII.GetString(answer, 0, got), Does.StartWith("HTTP/1.1 200 OK"));

        // The fake clock never moves: a stop that waited for the grace would never end.
        await app.StopAsync().WaitAsync(TestTimeouts.Request);
        // What is left of the answer, then the end of the stream.
        while (await stream.ReadAsync(answer).AsTask().WaitAsync(TestTimeouts.Request) > 0)
        {
        }

        Assert.That(client.Client.Poll(0, SelectMode.SelectRead) && client.Available == 0, Is.True, "closed by the stop");
    }

    [Test]
    public async Task Kestrel_WithoutTheWait_ClosesAConnectionWhoseRequestComesAfterTheStopBegan()
    {
        // The cause, shown on Kestrel alone: HTTP/1.1's stop ends a connection whose first request has not been read.
        var port = FreePort();
        var (app, _) = await StartAsync(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.Use(Signal)));
        await using var _ = app;
        using var client = await AcceptedAsync(app);

        var stopping = app.StopAsync();
        await _closeRequested.Task.WaitAsync(TestTimeouts.Request);
        var status = await SendAsync(client, port);
        await stopping.WaitAsync(TestTimeouts.Request);

        Assert.That(status, Is.Null);
    }

    private ConnectionDelegate Signal(ConnectionDelegate next) => context =>
    {
        context.Features.Get<IConnectionLifetimeNotificationFeature>()!.ConnectionClosedRequested.Register(() => _closeRequested.TrySetResult());
        _accepted.TrySetResult();
        return next(context);
    };

    private async Task<TcpClient> AcceptedAsync(WebApplication app)
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port(app));
        await _accepted.Task.WaitAsync(TestTimeouts.Request);
        return client;
    }

    private static async Task<(WebApplication App, int Port)> StartAsync(Action<KestrelServerOptions> listen)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(listen);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        var app = builder.Build();
        app.MapGet("/", () => "ok");
        await app.StartAsync();
        return (app, Port(app));
    }

    private static int Port(WebApplication app) => new Uri(app.Urls.First()).Port;

    /// <summary>The status line, or null when the connection was closed without one.</summary>
    private static async Task<string?> SendAsync(TcpClient client, int port)
    {
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"));
            using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
            return await reader.ReadLineAsync().WaitAsync(TestTimeouts.Request);
        }
        catch (IOException)
        {
            return null; // reset
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
