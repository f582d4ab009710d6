using System.Net;
using System.Net.Sockets;
using Docker.DotNet;
using GradientNode.Core.Engine;
using NUnit.Framework;

namespace GradientNode.Tests.Engine;

[TestFixture]
[Category("Unit")]
internal sealed class DockerErrorsTests
{
    [TestCase("unauthorized: authentication required", typeof(ImagePullDeniedException))]
    [TestCase("Head \"http://127.0.0.1:5000/v2/x/manifests/1\": no basic auth credentials", typeof(ImagePullDeniedException))]
    [TestCase("pull access denied for nope, repository does not exist or may require 'docker login'", typeof(ImagePullDeniedException))]
    [TestCase("manifest for 127.0.0.1:5000/x:2 not found: manifest unknown", typeof(ImageNotFoundException))]
    [TestCase("repository x does not exist", typeof(ImageNotFoundException))]
    [TestCase("Get \"http://127.0.0.1:1/v2/\": dial tcp 127.0.0.1:1: connect: connection refused", typeof(EngineException))]
    public void ToPullException_Message_IsTyped(string message, Type expected)
    {
        var exception = DockerErrors.ToPullException("img:1", message, 500);

        Assert.Multiple(() =>
        {
            Assert.That(exception, Is.TypeOf(expected));
            Assert.That(exception.Message, Does.Contain(message).And.Contain("img:1"));
        });
    }

    [Test]
    public void ToPullException_RegistrysMissingTag_SaysManifestUnknownOnce()
    {
        var exception = DockerErrors.ToPullException("127.0.0.1:5000/x:9", "manifest for 127.0.0.1:5000/x:9 not found: manifest unknown: manifest unknown", 500);

        Assert.Multiple(() =>
        {
            Assert.That(exception, Is.TypeOf<ImageNotFoundException>());
            Assert.That(exception.Answer, Is.EqualTo("manifest for 127.0.0.1:5000/x:9 not found: manifest unknown"));
            Assert.That(exception.Message, Is.EqualTo("pull of '127.0.0.1:5000/x:9' failed: manifest for 127.0.0.1:5000/x:9 not found: manifest unknown"));
        });
    }

    [TestCase("a: b: a", ExpectedResult = "a: b: a")]
    [TestCase("Get \"http://h/v2/\": dial tcp: connection refused", ExpectedResult = "Get \"http://h/v2/\": dial tcp: connection refused")]
    [TestCase("denied: Denied: requested access to the resource is denied", ExpectedResult = "denied: requested access to the resource is denied")]
    public string WithoutRepeatedParts_KeepsPartsThatDoNotRepeatTheOneBefore(string message) => DockerErrors.WithoutRepeatedParts(message);

    [TestCase(401, typeof(ImagePullDeniedException))]
    [TestCase(403, typeof(ImagePullDeniedException))]
    [TestCase(404, typeof(ImageNotFoundException))]
    public void ToPullException_StatusWithoutTellingMessage_IsTypedByStatus(int status, Type expected) =>
        Assert.That(DockerErrors.ToPullException("img:1", "computer says no", status), Is.TypeOf(expected));

    [Test]
    public void MessageOf_JsonBody_IsTheEngineMessage() =>
        Assert.That(DockerErrors.MessageOf(new DockerApiException(HttpStatusCode.InternalServerError, """{"message":"boom"}""")), Is.EqualTo("boom"));

    [Test]
    public void MessageOf_PlainOrEmptyBody_IsTheBodyOrTheStatus()
    {
        Assert.Multiple(() =>
        {
            Assert.That(DockerErrors.MessageOf(new DockerApiException(HttpStatusCode.BadGateway, " plain text\n")), Is.EqualTo("plain text"));
            Assert.That(DockerErrors.MessageOf(new DockerApiException(HttpStatusCode.BadGateway, null)), Is.EqualTo("HTTP 502 BadGateway"));
        });
    }

    [Test]
    public void Translate_ContainerNotFound_IsTypedWithTheId()
    {
        var ex = DockerErrors.Translate(new DockerContainerNotFoundException(HttpStatusCode.NotFound, """{"message":"No such container: abc"}"""), "start container abc", "unix:///x", containerId: "abc");

        Assert.That(ex, Is.TypeOf<ContainerNotFoundException>().And.Property(nameof(ContainerNotFoundException.ContainerId)).EqualTo("abc"));
    }

    [Test]
    public void Translate_ImageNotFoundOnCreate_IsImageNotFound()
    {
        var ex = DockerErrors.Translate(new DockerImageNotFoundException(HttpStatusCode.NotFound, """{"message":"No such image: x:1"}"""), "create container 'a'", "unix:///x", image: "x:1");

        Assert.That(ex, Is.TypeOf<ImageNotFoundException>().And.Message.Contains("No such image: x:1"));
    }

    // The 404s below are dockerd 20.10.24's own answers (API 1.41, through curl on its socket), each with the exception
    // type Docker.DotNet throws for it: its create throws DockerImageNotFoundException and its start
    // DockerContainerNotFoundException for any 404, so neither the call nor that type says what is missing.
    [Test]
    public void Translate_CreateOfAMissingImage_IsImageNotFoundWithTheEnginesWords()
    {
        var ex = DockerErrors.Translate(new DockerImageNotFoundException(HttpStatusCode.NotFound, """{"message":"No such image: gradient-test/absent:0"}"""), "create container 'web-0'", "unix:///x", image: "gradient-test/absent:0");

        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.TypeOf<ImageNotFoundException>().And.Property(nameof(ImageNotFoundException.Image)).EqualTo("gradient-test/absent:0"));
            Assert.That(ex!.StatusCode, Is.EqualTo(404));
            Assert.That(ex.Message, Is.EqualTo("create container 'web-0' failed: No such image: gradient-test/absent:0"));
        });
    }

    [TestCase("network gn-replicas not found", "gn-replicas")]
    [TestCase("network 9fe1b0490d43e366a971b48683fec877a8a952e0961ddb87376213cd3d110c0c not found", "9fe1b0490d43e366a971b48683fec877a8a952e0961ddb87376213cd3d110c0c")]
    [TestCase("failed to set up container networking: network gn-replicas not found", "gn-replicas")] // 28.x and later, at the start
    [TestCase("No such network: gn-replicas", "gn-replicas")]
    public void Translate_StartOnAMissingNetwork_IsNetworkNotFoundNamingIt(string answer, string network)
    {
        // dockerd creates a container on a network that is gone and refuses its start (before: "container 'ID' not found").
        var ex = DockerErrors.Translate(new DockerContainerNotFoundException(HttpStatusCode.NotFound, $$"""{"message":"{{answer}}"}"""), "start container 02be03104e82", "unix:///x", containerId: "02be03104e8241eb9c25077fb1513e3be815836b4594e43b1777087fd7a11160");

        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.TypeOf<NetworkNotFoundException>().And.Property(nameof(NetworkNotFoundException.Network)).EqualTo(network));
            Assert.That(ex!.StatusCode, Is.EqualTo(404));
            Assert.That(ex.Answer, Is.EqualTo(answer));
            Assert.That(ex.Operation, Is.EqualTo("start container 02be03104e82"));
        });
    }

    [Test]
    public void Translate_CreateOnAMissingNetwork_IsNetworkNotFoundNotAMissingImage()
    {
        // An engine that checks the network at the create answers it as a 404 of the create, which named an image.
        var ex = DockerErrors.Translate(new DockerImageNotFoundException(HttpStatusCode.NotFound, """{"message":"network gn-replicas not found"}"""), "create container 'web-0'", "unix:///x", image: "gradient-test/web:1");

        Assert.That(ex, Is.TypeOf<NetworkNotFoundException>().And.Property(nameof(NetworkNotFoundException.Network)).EqualTo("gn-replicas"));
    }

    [Test]
    public void Translate_CreateWithAMissingVolumePlugin_IsA404ThatNamesNoImage()
    {
        const string answer = "create nosuchvol: error looking up volume plugin nosuchdriver: plugin \"nosuchdriver\" not found";
        var body = System.Text.Json.JsonSerializer.Serialize(new { message = answer });

        var ex = DockerErrors.Translate(new DockerImageNotFoundException(HttpStatusCode.NotFound, body), "create container 'web-0'", "unix:///x", image: "gradient-test/web:1");

        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.TypeOf<EngineException>());
            Assert.That(ex!.StatusCode, Is.EqualTo(404));
            Assert.That(ex.Answer, Is.EqualTo(answer));
        });
    }

    [Test]
    public void Translate_StartWhoseNetworkContainerIsGone_IsA404NotTheStartedContainerMissing()
    {
        // network_mode: container:nosuchc, whose container is gone: the started one is there.
        var ex = DockerErrors.Translate(new DockerContainerNotFoundException(HttpStatusCode.NotFound, """{"message":"No such container: nosuchc"}"""), "start container 4592ceab251c", "unix:///x", containerId: "4592ceab251c8acdf348a7320d3353b4d9a41ab952cf1c811b27e4e04249cbd3");

        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.TypeOf<EngineException>());
            Assert.That(ex!.StatusCode, Is.EqualTo(404));
            Assert.That(ex.Answer, Is.EqualTo("No such container: nosuchc"));
        });
    }

    [TestCase("0123456789ab", "0123456789ab")]
    [TestCase("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "0123456789ab")]
    [TestCase("", "0123456789ab")] // stop and remove: any container
    public void Translate_StartOrStopOfAContainerThatIsGone_IsContainerNotFound(string containerId, string named)
    {
        var ex = DockerErrors.Translate(new DockerContainerNotFoundException(HttpStatusCode.NotFound, $$"""{"message":"No such container: {{named}}"}"""), "stop container 0123456789ab", "unix:///x", containerId: containerId);

        Assert.That(ex, Is.TypeOf<ContainerNotFoundException>());
    }

    [Test]
    public void Translate_Conflict_IsContainerConflict()
    {
        var ex = DockerErrors.Translate(new DockerApiException(HttpStatusCode.Conflict, """{"message":"name in use"}"""), "create container 'a'", "unix:///x");

        Assert.That(ex, Is.TypeOf<ContainerConflictException>().And.Message.EqualTo("create container 'a' failed: name in use"));
    }

    [Test]
    public void Translate_OtherStatus_KeepsStatusAndMessage()
    {
        var ex = DockerErrors.Translate(new DockerApiException(HttpStatusCode.InternalServerError, """{"message":"could not select device driver"}"""), "start container a", "unix:///x");

        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.TypeOf<EngineException>());
            Assert.That(ex!.StatusCode, Is.EqualTo(500));
            Assert.That(ex.Message, Does.Contain("could not select device driver"));
        });
    }

    [Test]
    public void Translate_ConnectionFailure_IsEngineUnavailableNamingTheHost()
    {
        var ex = DockerErrors.Translate(new HttpRequestException("Connection failed.", new SocketException((int)SocketError.ConnectionRefused)), "list containers", "unix:///x.sock");

        Assert.That(ex, Is.TypeOf<EngineUnavailableException>().And.Message.Contains("unix:///x.sock"));
    }

    [Test]
    public void Translate_UnixSocketFileMissing_SaysSoInsteadOfCannotAssignRequestedAddress()
    {
        var missing = new HttpRequestException("Cannot assign requested address", new SocketException((int)SocketError.AddressNotAvailable));
        var path = Path.Combine(Path.GetTempPath(), $"gn-no-such-{Guid.NewGuid():N}.sock");

        var ex = DockerErrors.Translate(missing, "list containers", $"unix://{path}");

        Assert.That(ex!.Message, Is.EqualTo($"Docker engine at unix://{path} is unreachable: no socket file there (is dockerd running? --docker-host, DOCKER_HOST)"));
    }

    [Test]
    public void Translate_UnixSocketTheNodesUserMayNotOpen_SaysPermissionDeniedAndWhatToDo()
    {
        var denied = new HttpRequestException("Permission denied", new SocketException((int)SocketError.AccessDenied));
        var path = Path.GetTempFileName(); // there, as the engine's socket is

        try
        {
            var ex = DockerErrors.Translate(denied, "list containers", $"unix://{path}");

            Assert.That(ex!.Message, Is.EqualTo($"Docker engine at unix://{path} is unreachable: permission denied: the user the node runs as ({Environment.UserName}) may not open the socket file; run the node as root, or add that user to the socket's group (usually docker)"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Translate_TcpRefusalAsAggregate_IsEngineUnavailable()
    {
        var refused = new AggregateException(new SocketException((int)SocketError.ConnectionRefused));

        Assert.That(DockerErrors.Translate(refused, "list containers", "tcp://127.0.0.1:1"), Is.TypeOf<EngineUnavailableException>());
    }

    [Test]
    public void Translate_Cancellation_IsLeftAlone() =>
        Assert.That(DockerErrors.Translate(new OperationCanceledException(), "list containers", "unix:///x"), Is.Null);
}
