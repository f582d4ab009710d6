using System.Net;
using System.Net.Http.Headers;
using System.Text;
using GradientNode.Core.Registries;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Registries;

/// <summary>
/// <see cref="RegistryTester"/> against a registry a socket-group member chose (<c>registries add --url</c>): what it
/// answers is read in bounded pieces, never buffered whole by the root daemon.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class RegistryTesterTests
{
    private static readonly RegistryConnection Connection = new("hostile", "http://registry.test", "ci", "pw-7d1e", null, DateTimeOffset.UnixEpoch);

    [Test]
    public async Task TestAsync_TokenServiceAnswersWithoutEnd_FailsAtTheTokenStepHavingReadAtMostTheLimit()
    {
        var body = new EndlessStream(256L * 1024 * 1024);
        using var http = new HttpClient(new Registry(_ => body));

        var result = await new RegistryTester(http).TestAsync(Connection, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Step, Is.EqualTo("token"));
            Assert.That(result.Ok, Is.False);
            Assert.That(result.Message, Does.Contain($"the answer is larger than {RegistryTester.MaxTokenAnswerBytes} bytes"));
            Assert.That(result.Message, Does.Not.Contain(Connection.Password));
            Assert.That(body.BytesRead, Is.LessThanOrEqualTo(RegistryTester.MaxTokenAnswerBytes + (64 * 1024)), "the daemon stopped reading at the limit");
        });
    }

    [Test]
    public async Task TestAsync_V2AnswersAHugeBody_ReadsNoneOfIt()
    {
        var body = new EndlessStream(256L * 1024 * 1024);
        using var http = new HttpClient(new Registry(_ => body, v2Status: HttpStatusCode.NotFound));

        var result = await new RegistryTester(http).TestAsync(Connection, CancellationToken.None);

        Assert.That(result.Message, Does.Contain("answered 404"));
        Assert.That(body.BytesRead, Is.LessThan(1024 * 1024), "the body of an answer judged by its status is not buffered");
    }

    [Test]
    public async Task TestAsync_TokenServiceGivesAToken_AcceptedThroughIt()
    {
        using var http = new HttpClient(new Registry(_ => new MemoryStream(Encoding.UTF8.GetBytes("{\"token\":\"t-1\"}"))));

        var result = await new RegistryTester(http).TestAsync(Connection, CancellationToken.None);

        Assert.That((result.Ok, result.Step), Is.EqualTo((true, "token")), result.Message);
    }

    /// <summary>/v2/ asks for a bearer token from /token; a request with that token is let in.</summary>
    private sealed class Registry(Func<HttpRequestMessage, Stream> tokenBody, HttpStatusCode v2Status = HttpStatusCode.Unauthorized) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath == "/token")
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(tokenBody(request)) });
            }

            if (request.Headers.Authorization is { Scheme: "Bearer", Parameter: "t-1" })
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
            }

            var response = new HttpResponseMessage(v2Status);
            if (v2Status == HttpStatusCode.NotFound)
            {
                response.Content = new StreamContent(tokenBody(request));
            }

            response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Bearer", "realm=\"http://registry.test/token\",service=\"registry.test\""));
            return Task.FromResult(response);
        }
    }
}
