using System.Net;
using GradientNode.Core.Routing;
using GradientNode.Proxy;
using GradientNode.Proxy.Tls;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Proxy.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Tls;

/// <summary>
/// A streaming answer (SSE-like chunks every 100 ms from an HTTP/1.1 replica, or gRPC-shaped over h2c) to an HTTP/2 client on
/// the https listener that stops reading a stream for a while (<see cref="Http2TestConnection"/>: its window stops opening).
/// Kestrel's default <c>MinResponseDataRate</c> (240 B/s after 5 s) times a stream waiting for its window and aborts the
/// whole connection: a window that never opened lost the connection within 12 s (every stream on it). The proxy turns it off
/// and bounds a reader that never comes back by the flow-control windows, the connection caps and
/// <see cref="ProxyOptions.ActivityTimeout"/> (docs/design/proxy.md, "Timeouts and limits").
/// </summary>
[TestFixture]
[Category("Proxy")]
[Parallelizable(ParallelScope.Self)]
internal sealed class PausedReaderTests
{
    /// <summary>An SSE event's size: 100 ms apart, 200 B/s.</summary>
    private const int SmallChunk = 20;

    private const string Host = "web." + ProxyHarness.Domain;

    private WebApplication? _replica;
    private ProxyHarness? _proxy;
    private TestCertificates? _ca;
    private string? _certDir;

    [TearDown]
    public async Task TearDown()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
            _proxy = null;
        }

        if (_replica is not null)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _replica.StopAsync(grace.Token);
            await _replica.DisposeAsync();
            _replica = null;
        }

        _ca?.Dispose();
        _ca = null;
        if (_certDir is not null)
        {
            Directory.Delete(_certDir, recursive: true);
            _certDir = null;
        }
    }

    [TestCase(false, TestName = "Https_Http2StreamPausedPastTheOldCut_ConnectionAndOtherStreamsSurviveAndEveryByteArrives(SSE over HTTP/1.1 to the replica)")]
    [TestCase(true, TestName = "Https_Http2StreamPausedPastTheOldCut_ConnectionAndOtherStreamsSurviveAndEveryByteArrives(gRPC-shaped over h2c to the replica)")]
    public async Task Https_Http2StreamPausedPastTheOldCut_ConnectionAndOtherStreamsSurviveAndEveryByteArrives(bool h2c)
    {
        // 20-byte events every 100 ms (200 B/s, under Kestrel's 240 B/s): the client's window of 512 bytes is used up about
        // 2.5 s into the pause, and Kestrel's old limit closed the connection 5 s after that, every stream on it lost.
        const int chunks = 160;
        var logs = new RecordingLoggerProvider();
        await StartAsync(h2c, o => o with { ConfigureLogging = l => l.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Debug) }, logs);
        await using var client = await Http2TestConnection.OpenAsync(_proxy!.Port, Host, _ca!.Authority, initialWindow: 512);

        await client.GetAsync(1, Host, $"/ticks?count={chunks}&size={SmallChunk}");
        await TestTimeouts.HoldAsync("the stream runs a while before its reader pauses", TimeSpan.FromSeconds(1));
        client.Pause(1);
        await TestTimeouts.HoldAsync("a pause past Kestrel's old cut: 5 s after the window filled, about 2.5 s in", TimeSpan.FromSeconds(14));
        var closedInThePause = client.Closed;
        await client.GetAsync(3, Host, "/");
        await client.WaitEndedAsync(3);
        await client.ResumeAsync(1);
        await client.WaitEndedAsync(1);

        var why = $"Kestrel said: {KestrelLines(logs)}";
        Assert.Multiple(() =>
        {
            Assert.That(closedInThePause, Is.Null, why);
            Assert.That(client.Data(3), Is.EqualTo("ok"), "another stream on the connection, during the pause");
            Assert.That(client.Ended(1), Is.EqualTo("end"), why);
            Assert.That(client.Data(1), Is.EqualTo(string.Concat(Enumerable.Range(0, chunks).Select(i => Chunk(i, SmallChunk)))), "every byte, in order");
            Assert.That(client.Closed, Is.Null, why);
        });
    }

    [Test]
    public async Task Https_Http2StreamWindowNeverOpened_StreamAndConnectionKeptPastTheOldCut()
    {
        // The security review's case: a client whose window never opens (SETTINGS_INITIAL_WINDOW_SIZE 0) on an endless answer
        // lost its connection after about 7 s: Kestrel times a wait for a window update like a write that does not drain.
        var logs = new RecordingLoggerProvider();
        await StartAsync(h2c: true, o => o with { ConfigureLogging = l => l.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Debug) }, logs);
        await using var client = await Http2TestConnection.OpenAsync(_proxy!.Port, Host, _ca!.Authority, initialWindow: 0);

        await client.GetAsync(1, Host, $"/ticks?count=0&size={16 * 1024}", paused: true);
        await TestTimeouts.HoldAsync("past the old cut of about 7 s, in which the connection must stay", TimeSpan.FromSeconds(12));
        var (closed, ended) = (client.Closed, client.Ended(1));
        var why = $"Kestrel said: {KestrelLines(logs)}";
        Assert.That(closed, Is.Null, "the connection was closed while the stream waited for its window; " + why);
        await client.GetAsync(3, Host, "/", grant: 1024);
        await client.WaitEndedAsync(3);

        Assert.Multiple(() =>
        {
            Assert.That(ended, Is.Null, "the stream waits for its window");
            Assert.That(client.Data(3), Is.EqualTo("ok"), why);
        });
    }

    [Test]
    public async Task Https_Http2StreamNeverRead_ResetAfterActivityTimeoutAndTheConnectionServesOthers()
    {
        // A client that never opens its window on an endless, fast answer: the bound is the stream's buffers (Kestrel's and
        // YARP's) until ActivityTimeout (10 min; 3 s here) ends that request alone.
        await StartAsync(h2c: true, o => o with { ActivityTimeout = TimeSpan.FromSeconds(3) });
        await using var client = await Http2TestConnection.OpenAsync(_proxy!.Port, Host, _ca!.Authority, initialWindow: 0);

        await client.GetAsync(1, Host, $"/ticks?count=0&size={16 * 1024}", paused: true);
        await client.WaitEndedAsync(1);
        await client.GetAsync(3, Host, "/", grant: 1024);
        await client.WaitEndedAsync(3);

        Assert.Multiple(() =>
        {
            Assert.That(client.Ended(1), Is.EqualTo("reset"), "the never-read request is ended");
            Assert.That(client.Data(3), Is.EqualTo("ok"), "the connection serves other streams after it");
            Assert.That(client.Closed, Is.Null);
        });
    }

    /// <summary>What Kestrel logged about connections it closed (the response data rate's line says why).</summary>
    private static string KestrelLines(RecordingLoggerProvider logs) => string.Join(" | ", logs.Entries
        .Where(e => e.Category.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal) && e.Level >= LogLevel.Debug)
        .Select(e => e.Message));

    /// <summary>Starts the replica (HTTP/1.1, or h2c for <paramref name="h2c"/>) and a proxy with an https listener routing <c>web</c> to it.</summary>
    private async Task StartAsync(bool h2c, Func<ProxyOptions, ProxyOptions> configure, ILoggerProvider? logs = null)
    {
        var address = await StartReplicaAsync(h2c ? HttpProtocols.Http2 : HttpProtocols.Http1);
        _ca = new TestCertificates();
        _certDir = Directory.CreateTempSubdirectory("gn-tls-").FullName;
        var (cert, key) = _ca.Write(_certDir, "wildcard", "*." + ProxyHarness.Domain, ProxyHarness.Domain);
        var route = new DeploymentRoute("web", "web", true, [new ReplicaRoute("web-0", address, true)], null, H2c: h2c);
        _proxy = await ProxyHarness.StartAsync(
            o => configure(o with { ListenUrls = ["https://127.0.0.1:0"], Tls = new ProxyTlsOptions { CertificateFile = cert, KeyFile = key } }),
            logs ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerProvider.Instance,
            route);
    }

    /// <summary>Event <paramref name="i"/>, <paramref name="size"/> bytes: <c>data: 000012 xx…\n\n</c>.</summary>
    private static string Chunk(int i, int size)
    {
        var head = $"data: {i:D6} ";
        return head + new string('x', size - head.Length - 2) + "\n\n";
    }

    /// <summary>
    /// A replica on loopback: <c>/ticks?count=N</c> writes N chunks of <see cref="ChunkSize"/> bytes 100 ms apart (endless
    /// when N is 0), flushing each; <c>/</c> answers <c>ok</c>. Its own response rate limit is off, so only the proxy can cut.
    /// </summary>
    private async Task<string> StartReplicaAsync(HttpProtocols protocols)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MinResponseDataRate = null;
            k.Listen(IPAddress.Loopback, 0, o => o.Protocols = protocols);
        });
        _replica = builder.Build();
        _replica.MapGet("/", () => "ok");
        _replica.MapGet("/ticks", async (HttpContext context, int count, int size) =>
        {
            context.Response.ContentType = "text/event-stream";
            for (var i = 0; count == 0 || i < count; i++)
            {
                await context.Response.WriteAsync(Chunk(i, size), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await TestTimeouts.HoldAsync("an event every 100 ms", TimeSpan.FromMilliseconds(100), context.RequestAborted);
            }
        });
        await _replica.StartAsync();
        var url = new Uri(_replica.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return $"127.0.0.1:{url.Port}";
    }
}
