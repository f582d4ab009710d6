using System.Net;
using System.Net.Sockets;
using System.Text;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Proxy.Hosting;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Gateway;

/// <summary>
/// Request shapes that make a front end and what follows it disagree about which request or host they see (request
/// smuggling, Host confusion), sent on raw sockets to a real proxy with a protected and a public deployment: none may
/// reach the protected deployment's replica without its password.
/// </summary>
internal sealed partial class GatewayMiddlewareTests
{
    private static readonly string Open = $"open.{ProxyHarness.Domain}";
    private static readonly string Secret = $"secret.{ProxyHarness.Domain}";

    public static IEnumerable<TestCaseData> SmugglingShapes()
    {
        var smuggled = $"GET / HTTP/1.1\r\nHost: {Secret}\r\n\r\n";
        yield return new TestCaseData("CL.TE", $"POST /echo HTTP/1.1\r\nHost: {Open}\r\nContent-Length: {5 + smuggled.Length}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n{smuggled}");
        yield return new TestCaseData("TE.CL", $"POST /echo HTTP/1.1\r\nHost: {Open}\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n{smuggled.Length:x}\r\n{smuggled}\r\n0\r\n\r\n");
        yield return new TestCaseData("TE obfuscated", $"POST /echo HTTP/1.1\r\nHost: {Open}\r\nContent-Length: {smuggled.Length}\r\nTransfer-Encoding: xchunked\r\n\r\n{smuggled}");
        yield return new TestCaseData("TE twice", $"POST /echo HTTP/1.1\r\nHost: {Open}\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n{smuggled}");
        yield return new TestCaseData("two Content-Lengths", $"POST /echo HTTP/1.1\r\nHost: {Open}\r\nContent-Length: 0\r\nContent-Length: {smuggled.Length}\r\n\r\n{smuggled}");
        yield return new TestCaseData("duplicate Host", $"GET / HTTP/1.1\r\nHost: {Open}\r\nHost: {Secret}\r\n\r\n");
        yield return new TestCaseData("duplicate Host, protected first", $"GET / HTTP/1.1\r\nHost: {Secret}\r\nHost: {Open}\r\n\r\n");
        yield return new TestCaseData("absolute-form to the protected host", $"GET http://{Secret}/ HTTP/1.1\r\nHost: {Open}\r\n\r\n");
        yield return new TestCaseData("absolute-form to the public host", $"GET http://{Open}/ HTTP/1.1\r\nHost: {Secret}\r\n\r\n");
        yield return new TestCaseData("absolute-form with user info", $"GET http://{Open}@{Secret}/ HTTP/1.1\r\nHost: {Secret}\r\n\r\n");
        yield return new TestCaseData("Host folded over two lines", $"GET / HTTP/1.1\r\nHost: {Open}\r\n {Secret}\r\n\r\n");
        yield return new TestCaseData("Host with user info", $"GET / HTTP/1.1\r\nHost: {Open}@{Secret}\r\n\r\n");
        yield return new TestCaseData("Host with a space", $"GET / HTTP/1.1\r\nHost: {Open} {Secret}\r\n\r\n");
        yield return new TestCaseData("Host with a comma", $"GET / HTTP/1.1\r\nHost: {Open},{Secret}\r\n\r\n");
        yield return new TestCaseData("X-Forwarded-Host", $"GET / HTTP/1.1\r\nHost: {Open}\r\nX-Forwarded-Host: {Secret}\r\n\r\n");
        yield return new TestCaseData("X-Original-URL", $"GET / HTTP/1.1\r\nHost: {Open}\r\nX-Original-URL: http://{Secret}/\r\nX-Rewrite-URL: http://{Secret}/\r\n\r\n");
        yield return new TestCaseData("bare LF", $"GET / HTTP/1.1\nHost: {Open}\nHost: {Secret}\n\n");
        yield return new TestCaseData("pipelined after a public request", $"GET / HTTP/1.1\r\nHost: {Open}\r\n\r\n{smuggled}");
        yield return new TestCaseData("HTTP/1.0 without Host, then absolute-form", $"GET / HTTP/1.0\r\n\r\nGET http://{Secret}/ HTTP/1.1\r\nHost: {Secret}\r\n\r\n");
    }

    [TestCaseSource(nameof(SmugglingShapes))]
    public async Task Request_SmugglingShape_NeverReachesTheProtectedReplicaWithoutThePassword(string shape, string request)
    {
        var secret = await TestBackend.StartAsync("secret");
        var open = await TestBackend.StartAsync("open");
        _disposables.Add(secret);
        _disposables.Add(open);
        var proxy = await ProxyAsync(o => o, Protected(ProxyHarness.Route("secret", secret)), ProxyHarness.Route("open", open));

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, proxy.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request + $"GET / HTTP/1.1\r\nHost: {Open}\r\nConnection: close\r\n\r\n"));

        using var timeout = new CancellationTokenSource(TestTimeouts.Condition);
        var buffer = new byte[256 * 1024];
        var answer = Encoding.ASCII.GetString(buffer, 0, await ReadToEndAsync(stream, buffer, timeout.Token));
        using var control = new HttpRequestMessage(HttpMethod.Get, proxy.Url("secret"));
        using var unauthorized = await proxy.Client.SendAsync(control);

        Assert.Multiple(() =>
        {
            Assert.That(answer, Does.Not.Contain("backend secret"), $"{shape}: the protected replica answered:\n{answer}");
            Assert.That(answer, Does.StartWith("HTTP/1.1 "), $"{shape}: an answer came: {answer}");
            Assert.That(unauthorized.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "control: the route is protected");
        });
    }

    [Test]
    public async Task Request_PipelinedWithThePassword_TheProtectedReplicasAnswerIsSeen()
    {
        // The control of the shapes above: the same raw connection with the password does show the protected answer.
        var secret = await TestBackend.StartAsync("secret");
        _disposables.Add(secret);
        var proxy = await ProxyAsync(o => o, Protected(ProxyHarness.Route("secret", secret)));
        var password = Convert.ToBase64String(Encoding.UTF8.GetBytes("paperspace:" + RightPassword));

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, proxy.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {Secret}\r\n\r\nGET / HTTP/1.1\r\nHost: {Secret}\r\nAuthorization: Basic {password}\r\nConnection: close\r\n\r\n"));

        using var timeout = new CancellationTokenSource(TestTimeouts.Condition);
        var buffer = new byte[64 * 1024];
        var answer = Encoding.ASCII.GetString(buffer, 0, await ReadToEndAsync(stream, buffer, timeout.Token));

        Assert.That(answer, Does.StartWith("HTTP/1.1 401").And.Contain("backend secret"));
    }
}
