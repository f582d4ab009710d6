using System.Net;
using System.Net.Sockets;
using System.Text;
using GradientNode.Core.Routing;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Proxy.Hosting;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Forwarding;

/// <summary>
/// A replica as the attacker, against a real proxy: it controls every byte it answers (<see cref="RawHttpReplica"/>).
/// The client gets a clear 502, the proxy logs one clean line, and the next request is served. The same attacks run
/// live through the published binary in <c>ReplicaAttackEndToEndTests</c>.
/// </summary>
[TestFixture]
[Category("Proxy")]
internal sealed class HostileReplicaTests
{
    [Test]
    public async Task Forward_ReplicaAnswers101ToAPlainGet_502NamingItOneWarningAndTheNextRequestServed()
    {
        var logs = new RecordingLoggerProvider();
        using var replica = new RawHttpReplica(path => path == "/switch"
            ? "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: rogue\r\n\r\nbytes of another protocol"u8.ToArray()
            : RawHttpReplica.Ok("fine"));
        await using var proxy = await ProxyHarness.StartAsync(o => o, logs, Route("web", replica));

        // Before the fix the client got "HTTP/1.1 101 Switching Protocols" with "Upgrade: rogue", then the connection
        // closed, and nothing was logged.
        var answer = await RawAsync(proxy.Port, $"GET /switch HTTP/1.1\r\nHost: web.{ProxyHarness.Domain}\r\nConnection: close\r\n\r\n");

        Assert.That(answer, Does.StartWith("HTTP/1.1 502 "), answer);
        Assert.That(answer, Does.Not.Contain("Upgrade").And.Not.Contain("another protocol"));
        Assert.That(answer, Does.Contain("deployment 'web': its replica answered 101 Switching Protocols to a request that asked for no upgrade; the node's log says more\n"));
        var warning = logs.Entries.Single(e => e.Message.Contains("101", StringComparison.Ordinal));
        Assert.That(warning.Level, Is.EqualTo(LogLevel.Warning));
        Assert.That(warning.Message, Is.EqualTo($"Deployment 'web': replica http://{replica.Address} answered 101 Switching Protocols to GET /switch, which asked for no upgrade; answered 502"));
        using var next = await proxy.Client.GetAsync(proxy.Url("web", "/after"));
        Assert.That(await next.Content.ReadAsStringAsync(), Is.EqualTo("fine"));
    }

    /// <summary>
    /// A client's <c>Upgrade: h2c</c> (what <c>curl --http2</c> sends over plain HTTP) is not forwarded: the replica gets
    /// a plain GET. Before, its 101 still counted as asked for (the client had asked), and the proxy tunnelled the raw
    /// connection to the replica (found by the eleventh adversary review).
    /// </summary>
    [Test]
    public async Task Forward_ReplicaAnswers101ToAnH2cUpgradeTheProxyDidNotForward_502AndNoTunnel()
    {
        var logs = new RecordingLoggerProvider();
        using var replica = new RawHttpReplica(path => path == "/switch"
            ? "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\nbytes of another protocol"u8.ToArray()
            : RawHttpReplica.Ok("fine"));
        await using var proxy = await ProxyHarness.StartAsync(o => o, logs, Route("web", replica));

        var answer = await RawAsync(proxy.Port,
            $"GET /switch HTTP/1.1\r\nHost: web.{ProxyHarness.Domain}\r\nConnection: Upgrade, HTTP2-Settings, close\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");

        Assert.That(answer, Does.StartWith("HTTP/1.1 502 "), answer);
        Assert.That(answer, Does.Not.Contain("another protocol"));
        Assert.That(logs.Entries.Count(e => e.Message.Contains("answered 101 Switching Protocols to GET /switch", StringComparison.Ordinal)), Is.EqualTo(1));
        using var next = await proxy.Client.GetAsync(proxy.Url("web", "/after"));
        Assert.That(await next.Content.ReadAsStringAsync(), Is.EqualTo("fine"));
    }

    [Test]
    public async Task Forward_StatusLineOfJunkWithEscapes_502AndTheLogLineHasNoControlCharactersAndIsCut()
    {
        var logs = new RecordingLoggerProvider();
        var junk = "JUNK \u001b[2J\u001b]0;pwned\u0007 " + new string('R', 20_000);
        using var replica = new RawHttpReplica(_ => Encoding.Latin1.GetBytes(junk + "\r\nContent-Length: 0\r\n\r\n"));
        await using var proxy = await ProxyHarness.StartAsync(o => o, logs, Route("web", replica));

        using var response = await proxy.Client.GetAsync(proxy.Url("web"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        await TestTimeouts.WaitUntilAsync(() => logs.Entries.Any(e => e.Message.Contains("forwarding to", StringComparison.Ordinal)), "the forwarding warning");
        var line = logs.Entries.Single(e => e.Message.Contains("forwarding to", StringComparison.Ordinal)).Message;
        // Before, the whole status line was logged as it came: the escape sequences reached the journal and a terminal.
        Assert.That(line.Where(char.IsControl), Is.Empty, line[..Math.Min(line.Length, 300)]);
        Assert.That(line, Does.Contain("JUNK ?[2J?]0;pwned? RRR").And.Contain(" more)"));
        Assert.That(line, Has.Length.LessThan(600));
    }

    [TestCase("/headers", TestName = "Forward_HeaderBlockOverTheLimit_502AndTheNextRequestServed")]
    [TestCase("/flood", TestName = "Forward_ThousandsOfInterimAnswers_502AndTheNextRequestServed")]
    public async Task Forward_AnswerHeadOverTheLimit_502AndTheNextRequestServed(string attack)
    {
        var headers = string.Concat(Enumerable.Repeat("X-Rogue: vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\r\n", 24_000));
        var flood = string.Concat(Enumerable.Repeat("HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n", 5_000));
        using var replica = new RawHttpReplica(path => path switch
        {
            "/headers" => Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\n" + headers + "Content-Length: 0\r\n\r\n"),
            "/flood" => Encoding.ASCII.GetBytes(flood + "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlate"),
            "/hints" => Encoding.ASCII.GetBytes("HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhints"),
            _ => RawHttpReplica.Ok("fine"),
        });
        await using var proxy = await ProxyHarness.StartAsync(o => o, Route("web", replica));

        using var attacked = await proxy.Client.GetAsync(proxy.Url("web", attack));
        using var hints = await proxy.Client.GetAsync(proxy.Url("web", "/hints"));
        using var next = await proxy.Client.GetAsync(proxy.Url("web", "/after"));

        Assert.That(attacked.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway), "the answer's head, interim answers included, is bounded at 64 KiB");
        Assert.That(await hints.Content.ReadAsStringAsync(), Is.EqualTo("hints"), "a few interim answers are passed over");
        Assert.That(await next.Content.ReadAsStringAsync(), Is.EqualTo("fine"));
    }

    [Test]
    public async Task Forward_ReplicaSendsAnExtraAnswerAfterOne_TheNextRequestNeverGetsIt()
    {
        using var replica = new RawHttpReplica(path => path == "/smuggle"
            ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nSMUGGLED"u8.ToArray()
            : RawHttpReplica.Ok($"answer to {path}"));
        await using var proxy = await ProxyHarness.StartAsync(o => o, Route("web", replica));

        for (var i = 0; i < 20; i++)
        {
            using var first = await proxy.Client.GetAsync(proxy.Url("web", "/smuggle"));
            Assert.That(await first.Content.ReadAsStringAsync(), Is.EqualTo("ok"));
            using var second = await proxy.Client.GetAsync(proxy.Url("web", $"/next{i}"));
            Assert.That(await second.Content.ReadAsStringAsync(), Is.EqualTo($"answer to /next{i}"), "the extra answer must not answer the next request");
        }
    }

    [Test]
    public async Task Forward_HeaderValueWithUtf8Bytes_TheSameBytesReachTheClient()
    {
        using var replica = new RawHttpReplica(_ => [.. "HTTP/1.1 200 OK\r\nContent-Disposition: attachment; filename=\""u8, .. "café.pdf"u8, .. "\"\r\nContent-Length: 2\r\n\r\nok"u8]);
        await using var proxy = await ProxyHarness.StartAsync(o => o, Route("web", replica));

        // Before, Kestrel's ASCII-only default refused the value: every such answer was a 502.
        var answer = await RawAsync(proxy.Port, $"GET / HTTP/1.1\r\nHost: web.{ProxyHarness.Domain}\r\nConnection: close\r\n\r\n");

        Assert.That(answer, Does.StartWith("HTTP/1.1 200 "), answer);
        Assert.That(answer, Does.Contain("filename=\"" + Encoding.Latin1.GetString("café.pdf"u8) + "\"\r\n"), "the UTF-8 bytes as they came");
    }

    [TestCase("X-Bad: a\u0001b", TestName = "Forward_HeaderValueWithAControlCharacter_502AndTheNextRequestServed")]
    [TestCase("X-Bad: a\u007fb", TestName = "Forward_HeaderValueWithDelete_502AndTheNextRequestServed")]
    [TestCase("Content-Length: 2\r\nTransfer-Encoding: chunked", TestName = "Forward_ContentLengthAndTransferEncodingBoth_502AndTheNextRequestServed")]
    [TestCase("Content-Length: 3", TestName = "Forward_TwoContentLengths_502AndTheNextRequestServed")]
    public async Task Forward_HeaderThatCannotBeForwarded_502AndTheNextRequestServed(string header)
    {
        var logs = new RecordingLoggerProvider();
        using var replica = new RawHttpReplica(path => path == "/bad"
            ? Encoding.Latin1.GetBytes($"HTTP/1.1 200 OK\r\n{header}\r\nContent-Length: 2\r\n\r\nok")
            : RawHttpReplica.Ok("fine"));
        await using var proxy = await ProxyHarness.StartAsync(o => o, logs, Route("web", replica));

        using var bad = await proxy.Client.GetAsync(proxy.Url("web", "/bad"));
        using var next = await proxy.Client.GetAsync(proxy.Url("web", "/after"));

        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That(await next.Content.ReadAsStringAsync(), Is.EqualTo("fine"));
        await TestTimeouts.WaitUntilAsync(() => logs.Entries.Any(e => e.Message.Contains("forwarding to", StringComparison.Ordinal)), "the forwarding warning");
        Assert.That(logs.Entries.Where(e => e.Level >= LogLevel.Warning).Select(e => e.Message), Has.All.Contains("failed (ResponseHeaders): "));
    }

    [Test]
    public async Task Forward_ReplicaSetsCookiesForTheNodesParentDomain_TheClientGetsThemHostOnlyOthersUnchanged()
    {
        // Every deployment is <slug>.<domain>: a cookie set for the domain reached every other deployment's users.
        using var replica = new RawHttpReplica(_ => Encoding.ASCII.GetBytes(
            "HTTP/1.1 200 OK\r\n"
            + $"Set-Cookie: session=attacker; Path=/; Domain=.{ProxyHarness.Domain}; HttpOnly\r\n"
            + $"Set-Cookie: csrf=known;domain={ProxyHarness.Domain.ToUpperInvariant()}\r\n"
            + "Set-Cookie: other=x; Domain=example.org; Secure\r\n"
            + $"Set-Cookie: own=1; Domain=web.{ProxyHarness.Domain}; SameSite=Lax\r\n"
            + "Set-Cookie: plain=2; Max-Age=60\r\n"
            + "Content-Length: 2\r\n\r\nok"));
        await using var proxy = await ProxyHarness.StartAsync(o => o, Route("web", replica));

        var answer = await RawAsync(proxy.Port, $"GET / HTTP/1.1\r\nHost: web.{ProxyHarness.Domain}\r\nConnection: close\r\n\r\n");

        var cookies = answer.Split("\r\n").Where(l => l.StartsWith("Set-Cookie: ", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.That(cookies, Is.EqualTo(new[]
        {
            "Set-Cookie: session=attacker; Path=/; HttpOnly",
            "Set-Cookie: csrf=known",
            "Set-Cookie: other=x; Secure",
            $"Set-Cookie: own=1; Domain=web.{ProxyHarness.Domain}; SameSite=Lax",
            "Set-Cookie: plain=2; Max-Age=60",
        }), answer);
    }

    private static DeploymentRoute Route(string slug, RawHttpReplica replica) =>
        new(slug, slug, true, [new ReplicaRoute("r1", replica.Address, true)]);

    /// <summary>Sends <paramref name="request"/> (which says <c>Connection: close</c>) on a fresh connection; all the proxy sent until it closed.</summary>
    private static async Task<string> RawAsync(int port, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var answer = new MemoryStream();
        using var timeout = new CancellationTokenSource(TestTimeouts.Request);
        await stream.CopyToAsync(answer, timeout.Token);
        return Encoding.Latin1.GetString(answer.ToArray());
    }
}
