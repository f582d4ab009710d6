using System.Net;
using GradientNode.Core.Health;
using GradientNode.Core.Specs;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Health;

/// <summary>How an HTTP probe's answer reads in status (the code, the reason phrase when the server sent one), and what it sends.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class ProbeRunnerTests
{
    [TestCase(HttpStatusCode.OK, "OK", "200 OK from GET /health on port 8080")]
    [TestCase(HttpStatusCode.OK, "", "200 OK from GET /health on port 8080")] // "HTTP/1.1 200 " (busybox httpd): one wording, the standard phrase
    [TestCase(HttpStatusCode.ServiceUnavailable, "", "503 Service Unavailable from GET /health on port 8080")]
    [TestCase(HttpStatusCode.ServiceUnavailable, "Model Loading", "503 Model Loading from GET /health on port 8080")] // the replica's own words
    public async Task RunAsync_HttpAnswer_MessageHasTheCodeAndAReasonPhrase(HttpStatusCode code, string? reason, string expected)
    {
        using var runner = new ProbeRunner(new ScriptedPullEngine(), new AnsweringHandler(code, reason));

        var result = await runner.RunAsync(new ProbeSpec { Path = "/health" }, "id", "10.0.0.2", 8080, CancellationToken.None);

        Assert.That(result.Message, Is.EqualTo(expected));
    }

    [Test]
    public async Task RunAsync_HeaderValueWithNonAsciiText_SentAsUtf8AndTheProbePasses()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var received = AnswerOnceAsync(listener);
        using var runner = new ProbeRunner(new ScriptedPullEngine());
        var probe = new ProbeSpec { Path = "/health", Headers = new([new HeaderSpec("X-Team", "café 日本")]) };

        var result = await runner.RunAsync(probe, "id", "127.0.0.1", port, CancellationToken.None);

        Assert.That(result.Success, Is.True, result.Message);
        Assert.That(await received, Does.Contain("X-Team: café 日本\r\n"));
    }

    [Test]
    public async Task RunAsync_ReasonPhraseWithEscapesAndThirtyThousandCharacters_MessageCutAndWithoutControlCharacters()
    {
        var reason = "\u001b[2J\u001b]0;pwned\u0007" + new string('R', 30_000);
        using var replica = new RawHttpReplica(_ => System.Text.Encoding.Latin1.GetBytes($"HTTP/1.1 500 {reason}\r\nContent-Length: 0\r\n\r\n"));
        using var runner = new ProbeRunner(new ScriptedPullEngine());

        var result = await runner.RunAsync(new ProbeSpec { Path = "/health" }, "id", "127.0.0.1", replica.Port, CancellationToken.None);

        // Before, all 30,000 characters went into status, and `gradient-node get` sent the escapes to the terminal.
        Assert.That(result.Success, Is.False);
        Assert.That(result.Message, Does.StartWith("500 ?[2J?]0;pwned?RRR").And.EndWith($"… ({reason.Length - ProbeRunner.MaxReasonPhrase} more) from GET /health on port {replica.Port}"));
        Assert.That(result.Message!.Where(char.IsControl), Is.Empty);
    }

    [Test]
    public async Task RunAsync_HeaderBlockOverTheLimit_FailsNamingTheLimit()
    {
        var headers = string.Concat(Enumerable.Repeat("X-Rogue: vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\r\n", 24_000));
        using var replica = new RawHttpReplica(_ => System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\n{headers}Content-Length: 0\r\n\r\n"));
        using var runner = new ProbeRunner(new ScriptedPullEngine());

        var result = await runner.RunAsync(new ProbeSpec { Path = "/health" }, "id", "127.0.0.1", replica.Port, CancellationToken.None);

        Assert.That(result.Success, Is.False);
        Assert.That(result.Message, Does.StartWith("GET /health on port ").And.Contain("65536 bytes"));
    }

    [Test]
    public async Task RunAsync_AnswerClaimsAHundredGigabyteBody_PassesWithoutReadingIt()
    {
        var body = new byte[1 << 20];
        using var replica = new RawHttpReplica(_ => [.. "HTTP/1.1 200 OK\r\nContent-Length: 107374182400\r\n\r\n"u8, .. body]);
        using var runner = new ProbeRunner(new ScriptedPullEngine());

        var result = await runner.RunAsync(new ProbeSpec { Path = "/health", TimeoutSeconds = 30 }, "id", "127.0.0.1", replica.Port, CancellationToken.None);

        Assert.That(result, Is.EqualTo(ProbeResult.Ok($"200 OK from GET /health on port {replica.Port}")));
    }

    [Test]
    public async Task RunAsync_RedirectToAnotherAddress_NotFollowedAndCountsAsAnAnswer()
    {
        using var elsewhere = new RawHttpReplica(_ => RawHttpReplica.Ok("followed"));
        using var replica = new RawHttpReplica(_ => System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 302 Found\r\nLocation: http://{elsewhere.Address}/secret\r\nContent-Length: 0\r\n\r\n"));
        using var runner = new ProbeRunner(new ScriptedPullEngine());

        var result = await runner.RunAsync(new ProbeSpec { Path = "/health" }, "id", "127.0.0.1", replica.Port, CancellationToken.None);

        Assert.That(result, Is.EqualTo(ProbeResult.Ok($"302 Found from GET /health on port {replica.Port}")), "3xx passes, as Kubernetes' prober");
        Assert.That(elsewhere.Asked(), Is.Empty, "the node never follows a replica's redirect");
    }

    /// <summary>Reads one request's head as UTF-8 and answers 200.</summary>
    private static async Task<string> AnswerOnceAsync(System.Net.Sockets.TcpListener listener)
    {
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var head = new List<byte>();
        var buffer = new byte[4096];
        while (!System.Text.Encoding.UTF8.GetString([.. head]).Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                break;
            }

            head.AddRange(buffer.AsSpan(0, read));
        }

        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
        return System.Text.Encoding.UTF8.GetString([.. head]);
    }

    private sealed class AnsweringHandler(HttpStatusCode code, string? reason) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(code) { ReasonPhrase = reason, RequestMessage = request });
    }
}
