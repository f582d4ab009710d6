using System.Net;
using System.Net.Sockets;
using Docker.DotNet;
using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed class EngineFailureTests
{
    private static IEnumerable<TestCaseData> Unreachable()
    {
        yield return new TestCaseData(new EngineUnavailableException("Docker engine at unix:///x is unreachable: Connection refused")).SetName("Describe_EngineUnavailable_CannotReach");
        yield return new TestCaseData(new HttpRequestException("Connection refused (localhost:2375)")).SetName("Describe_HttpRequestException_CannotReach");
        yield return new TestCaseData(new IOException("The response ended prematurely.")).SetName("Describe_IOException_CannotReach");
        yield return new TestCaseData(new SocketException((int)SocketError.ConnectionRefused)).SetName("Describe_SocketException_CannotReach");
        yield return new TestCaseData(new TimeoutException("no answer")).SetName("Describe_Timeout_CannotReach");
        yield return new TestCaseData(new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.", new TimeoutException()))
            .SetName("Describe_HttpClientTimeout_CannotReach");
        yield return new TestCaseData(new AggregateException(new SocketException((int)SocketError.ConnectionRefused))).SetName("Describe_AggregateOfSocketErrors_CannotReach");
    }

    [TestCaseSource(nameof(Unreachable))]
    public void Describe_ConnectionLevelFailure_CannotReachTheEngine(Exception failure)
    {
        Assert.Multiple(() =>
        {
            Assert.That(EngineFailure.IsUnreachable(failure), Is.True);
            Assert.That(EngineFailure.Describe(failure), Is.EqualTo($"cannot reach the Docker engine: {failure.Message}"));
        });
    }

    [Test]
    public void Describe_EngineUnavailableWithItsHostAndReason_SaysEachOnce()
    {
        var failure = new EngineUnavailableException("Docker engine at unix:///x is unreachable: Connection refused") { Host = "unix:///x", Reason = "Connection refused" };

        Assert.That(EngineFailure.Describe(failure), Is.EqualTo("cannot reach the Docker engine at unix:///x: Connection refused"));
    }

    [TestCase(HttpStatusCode.BadRequest, "unknown or invalid runtime name: nvidia", TestName = "Describe_EngineAnswered400_RefusedNamesOperationStatusAndMessage")]
    [TestCase(HttpStatusCode.Conflict, "Conflict. The container name /hello-0 is already in use by container abc", TestName = "Describe_EngineAnswered409_RefusedNamesOperationStatusAndMessage")]
    [TestCase(HttpStatusCode.InternalServerError, "invalid mount config for type bind: bind source path does not exist: /nope", TestName = "Describe_EngineAnswered500_RefusedNamesOperationStatusAndMessage")]
    public void Describe_EngineAnswered_RefusedNamesOperationStatusAndMessage(HttpStatusCode status, string message)
    {
        var answer = new DockerApiException(status, $$"""{"message":"{{message}}"}""");
        var failure = DockerErrors.Translate(answer, "create container 'hello-0'", "unix:///x", image: "ns/app:1")!;

        Assert.Multiple(() =>
        {
            Assert.That(EngineFailure.IsUnreachable(failure), Is.False);
            Assert.That(
                EngineFailure.Describe(failure),
                Is.EqualTo($"the Docker engine refused create container 'hello-0' (HTTP {(int)status}): {message}"));
        });
    }

    [Test]
    public void Describe_PullRefused_NamesThePullAndTheImage()
    {
        var failure = DockerErrors.ToPullException("ns/app:1", "toomanyrequests: rate limit", 500);

        Assert.That(EngineFailure.Describe(failure), Is.EqualTo("the Docker engine refused pull of 'ns/app:1' (HTTP 500): toomanyrequests: rate limit"));
    }

    [Test]
    public void Describe_ImageCarriesNodeLabels_TheNodeRefusedNotTheEngine()
    {
        var request = new ContainerCreateRequest { Name = "web-0", Image = "forged:1" };
        var image = new ImageDetails("sha256:1", ["forged:1"], null, null, [], new Dictionary<string, string> { ["gradient.gpus"] = "GPU-1" });

        var failure = Assert.Throws<ImageLabelsRefusedException>(() => NodeLabelsGuard.Check(request, image));

        Assert.That(EngineFailure.Describe(failure!), Does.StartWith("the node refused create container 'web-0': image 'forged:1' carries the label gradient.gpus,"));
    }

    [Test]
    public void Describe_TypedWithoutOperation_RefusedWithItsMessage() =>
        Assert.That(EngineFailure.Describe(new ContainerNotFoundException("abc")), Is.EqualTo("the Docker engine refused: container 'abc' not found"));

    [Test]
    public void Redact_SecretValuesInTheText_EachReplacedWholeLongestFirst()
    {
        var text = "invalid env: TOKEN=abc123xyz KEY=abc123";

        Assert.That(EngineFailure.Redact(text, ["abc123", "abc123xyz", string.Empty]), Is.EqualTo("invalid env: TOKEN=*** KEY=***"));
    }

    [Test]
    public void Redact_RuncQuotedAValueWithANulByte_HiddenInItsQuotedForm()
    {
        // What dockerd 20.10 / runc 1.1 answer (HTTP 500) to a start whose env value holds a NUL byte, as the JSON decodes.
        const string text = "failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: "
            + "error during container init: environment variable value can't contain null(\\x00): \"TOKEN=s3cr3t\\x00tail-value\": unknown";

        var redacted = EngineFailure.Redact(text, ["s3cr3t\0tail-value"]);

        Assert.That(redacted, Does.EndWith("can't contain null(\\x00): \"TOKEN=***\": unknown"));
        Assert.That(redacted, Does.Not.Contain("s3cr3t").And.Not.Contain("tail-value"));
    }

    [TestCase("plain text", "plain text")]
    [TestCase("a\0b", "a\\x00b")]
    [TestCase("tab\tnl\ncr\rbell\u0007", "tab\\tnl\\ncr\\rbell\\a")]
    [TestCase("q\"b\\", "q\\\"b\\\\")]
    [TestCase("del\u007f esc\u001b", "del\\x7f esc\\x1b")]
    [TestCase("nbsp\u00a0zw\u200b", "nbsp\\u00a0zw\\u200b")]
    [TestCase("é€😀", "é€😀")]
    public void GoQuoted_Value_EscapedAsGoStrconvQuoteDoes(string value, string expected) =>
        Assert.That(EngineFailure.GoQuoted(value), Is.EqualTo(expected));
}
