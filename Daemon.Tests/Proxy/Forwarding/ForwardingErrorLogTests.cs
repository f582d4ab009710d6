using System.Net;
using System.Net.Sockets;
using System.Text;
using GradientNode.Core.Routing;
using GradientNode.Proxy.Forwarding;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Proxy.Hosting;
using Microsoft.Extensions.Logging;
using NUnit.Framework;
using Yarp.ReverseProxy.Forwarder;

namespace GradientNode.Tests.Proxy.Forwarding;

[TestFixture]
[Category("Proxy")]
internal sealed class ForwardingErrorLogTests
{
    [Test]
    public async Task Write_MalformedChunkedBodyFromAClient_AnsweredWithNothingLoggedAsAWarning()
    {
        var logs = new RecordingLoggerProvider();
        await using var backend = await TestBackend.StartAsync("r1");
        await using var proxy = await ProxyHarness.StartAsync(o => o, logs, ProxyHarness.Route("web", backend));

        for (var i = 0; i < 3; i++)
        {
            var answer = await RawAsync(proxy.Port, $"POST /echo HTTP/1.1\r\nHost: web.{ProxyHarness.Domain}\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n\r\n");
            Assert.That(answer, Does.StartWith("HTTP/1.1 "), "the proxy answers");
        }

        using var ok = await proxy.Client.GetAsync(proxy.Url("web"));
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK), "and goes on serving");
        Assert.That(logs.Entries.Where(e => e.Level >= LogLevel.Warning).Select(e => $"{e.Category}: {e.Message[..Math.Min(e.Message.Length, 200)]}"), Is.Empty,
            "a client's bad body is the client's business: before, YARP logged each with a 10 KB stack trace");
    }

    [Test]
    public async Task Write_ReplicaRefusesConnections_OneWarningLineNamingTheDeploymentAndReplicaWithoutAStack()
    {
        var logs = new RecordingLoggerProvider();
        var closed = GradientNodeProcess.FreePort();
        await using var proxy = await ProxyHarness.StartAsync(
            o => o, logs, new DeploymentRoute("web", "web", true, [new ReplicaRoute("r1", $"127.0.0.1:{closed}", true)]));

        using var response = await proxy.Client.GetAsync(proxy.Url("web"));

        // Its only replica refused: nothing of the request was sent, so a 503 (ConnectFailuresTests), not a 502 since faults11.
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        await TestTimeouts.WaitUntilAsync(() => logs.Entries.Any(e => e.Message.Contains("forwarding to", StringComparison.Ordinal)), "the forwarding warning");
        var warning = logs.Entries.Single(e => e.Message.Contains("forwarding to", StringComparison.Ordinal));
        Assert.That(warning.Level, Is.EqualTo(LogLevel.Warning));
        Assert.That(warning.Message, Does.StartWith($"Deployment 'web': forwarding to http://127.0.0.1:{closed} failed (Request): ").And.Contain("refused"));
        Assert.That(warning.Exception, Is.Null, "one line, no stack");
        Assert.That(logs.Entries.Where(e => e.Category.StartsWith("Yarp", StringComparison.Ordinal) && e.Level >= LogLevel.Warning), Is.Empty);
        // The client's answer says why in general words (a 502's was empty once), without the replica's address.
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(body, Does.StartWith("deployment 'web': none of its replicas accepts connections (").And.Not.Contain("127.0.0.1"));
    }

    [Test]
    public void Innermost_AggregateOfWrappedExceptions_TheFirstRootCauseOnOneLine()
    {
        var error = new AggregateException(new HttpRequestException("copying", new IOException("reading the body", new InvalidDataException("Bad chunk\nsize data."))));

        Assert.That(ForwardingErrorLog.Innermost(error), Is.EqualTo("Bad chunk size data."));
        Assert.That(ForwardingErrorLog.Innermost(null), Is.Empty);
    }

    [TestCase(ForwarderError.RequestBodyClient, true)]
    [TestCase(ForwarderError.RequestCanceled, true)]
    [TestCase(ForwarderError.UpgradeResponseClient, true)]
    [TestCase(ForwarderError.Request, false)]
    [TestCase(ForwarderError.ResponseBodyDestination, false)]
    [TestCase(ForwarderError.RequestTimedOut, false)]
    public void IsClientSide_Error_TheClientsOrTheReplicas(ForwarderError error, bool clientSide) =>
        Assert.That(ForwardingErrorLog.IsClientSide(error), Is.EqualTo(clientSide));

    private static async Task<string> RawAsync(int port, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TestTimeouts.Request);
        var read = await stream.ReadAsync(buffer, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }
}
