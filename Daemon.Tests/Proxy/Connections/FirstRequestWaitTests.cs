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
    public async Task Middleware_NothingSentWithinTheGraceAfterTheStopBegan_ClosedAndTheStopEnds()
    {
        var (app, _) = await StartAsync(kestrel => KestrelListeners.Configure(kestrel, [$"http://127.0.0.1:{FreePort()}"], null, [], Signal));
        await using var __ = app;
        using var client = await AcceptedAsync(app);

        var started = TimeProvider.System.GetTimestamp();
        await app.StopAsync().WaitAsync(TestTimeouts.Request);
        var took = TimeProvider.System.GetElapsedTime(started);
        var read = await client.GetStream().ReadAsync(new byte[16]).AsTask().WaitAsync(TestTimeouts.Request);

        Assert.Multiple(() =>
        {
            Assert.That(read, Is.Zero, "closed without an answer, as an idle connection is");
            Assert.That(took, Is.GreaterThanOrEqualTo(FirstRequestWait.Grace - TimeSpan.FromMilliseconds(100)).And.LessThan(TimeSpan.FromSeconds(10)));
        });
    }

    [Test]
    public async Task Middleware_KeepAliveConnectionIdleAfterAnAnswer_ClosedAtOnceWhenTheStopBegins()
    {
        var (app, port) = await StartAsync(kestrel => KestrelListeners.Configure(kestrel, [$"http://127.0.0.1:{FreePort()}"], null, [], Signal));
        await using var _ = app;
        using var client = await AcceptedAsync(app);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"));
        var answer = new byte[4096];
        var got = await stream.ReadAsync(answer).AsTask().WaitAsync(TestTimeouts.Request);
        Assert.That(Encoding.ASCII.GetString(answer, 0, got), Does.StartWith("HTTP/1.1 200 OK"));

        var started = TimeProvider.System.GetTimestamp();
        await app.StopAsync().WaitAsync(TestTimeouts.Request);

        Assert.That(TimeProvider.System.GetElapsedTime(started), Is.LessThan(FirstRequestWait.Grace), "an idle kept-alive connection is not held");
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
