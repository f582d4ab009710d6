using System.Net;
using GradientNode.Core.Health;
using GradientNode.Core.Specs;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Health;

/// <summary>How an HTTP probe's answer reads in status: the code, the reason phrase when the server sent one.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class ProbeRunnerTests
{
    [TestCase("OK", "200 OK from GET /health on port 8080")]
    [TestCase("", "200 from GET /health on port 8080")] // "HTTP/1.1 200 " (busybox httpd): an empty phrase
    public async Task RunAsync_HttpAnswer_MessageHasTheCodeAndAnyReasonPhrase(string? reason, string expected)
    {
        using var runner = new ProbeRunner(new ScriptedPullEngine(), new AnsweringHandler(HttpStatusCode.OK, reason));

        var result = await runner.RunAsync(new ProbeSpec { Path = "/health" }, "id", "10.0.0.2", 8080, CancellationToken.None);

        Assert.That(result, Is.EqualTo(ProbeResult.Ok(expected)));
    }

    private sealed class AnsweringHandler(HttpStatusCode code, string? reason) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(code) { ReasonPhrase = reason, RequestMessage = request });
    }
}
