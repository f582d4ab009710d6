using System.Text;
using GradientNode.Core.Engine;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Engine;

/// <summary><see cref="DockerEngine"/> against <see cref="FakeDockerEngine"/>: wire behaviour a real dockerd shows only by chance.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class DockerEngineProtocolTests
{
    private const string Password = "s3cret-Pa55";

    [Test]
    public async Task PullImageAsync_ProgressLines_AreReportedWithAuthHeader()
    {
        using var fake = new FakeDockerEngine(context => FakeDockerEngine.WriteAsync(context, 200,
            "{\"status\":\"Pulling from ns/repo\",\"id\":\"1\"}\r\n{\"status\":\"Downloading\",\"id\":\"abc\",\"progressDetail\":{\"current\":5,\"total\":10}}\r\n"));
        using var engine = new DockerEngine(new DockerEngineOptions(fake.Host));
        var reports = new List<PullProgress>();

        await engine.PullImageAsync("registry:5000/ns/repo:2", new RegistryAuth("u", Password, "registry:5000"), new SyncProgress(reports), CancellationToken.None);

        var auth = fake.LastHeaders!["X-Registry-Auth"]!;
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(auth.Replace('-', '+').Replace('_', '/')));
        Assert.Multiple(() =>
        {
            Assert.That(fake.Requests, Does.Contain("POST /v1.41/images/create?fromImage=registry%3A5000%2Fns%2Frepo&tag=2"));
            Assert.That(json, Does.Contain(Password).And.Contain("\"serveraddress\":\"registry:5000\""));
            Assert.That(reports, Does.Contain(new PullProgress("Downloading", "abc", 5, 10)));
        });
    }

    [TestCase("unauthorized: authentication required", typeof(ImagePullDeniedException))]
    [TestCase("manifest for registry:5000/ns/repo:2 not found: manifest unknown", typeof(ImageNotFoundException))]
    [TestCase("write /var/lib/docker/tmp: no space left on device", typeof(EngineException))]
    public void PullImageAsync_ErrorLineInStream_ThrowsTypedWithoutPassword(string error, Type expected)
    {
        using var fake = new FakeDockerEngine(context => FakeDockerEngine.WriteAsync(context, 200,
            "{\"status\":\"Pulling\"}\n{\"errorDetail\":{\"message\":\"" + error + "\"},\"error\":\"" + error + "\"}\n"));
        using var engine = new DockerEngine(new DockerEngineOptions(fake.Host));

        var ex = Assert.CatchAsync<EngineException>(() =>
            engine.PullImageAsync("registry:5000/ns/repo:2", new RegistryAuth("u", Password, "registry:5000"), null, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex, Is.TypeOf(expected));
            Assert.That(ex!.Message, Does.Contain(error).And.Not.Contain(Password));
        });
    }

    [Test]
    public void PullImageAsync_HttpErrorBeforeStream_UsesEngineMessage()
    {
        using var fake = new FakeDockerEngine(context => FakeDockerEngine.WriteAsync(context, 404,
            "{\"message\":\"pull access denied for nope, repository does not exist\"}"));
        using var engine = new DockerEngine(new DockerEngineOptions(fake.Host));

        var ex = Assert.ThrowsAsync<ImagePullDeniedException>(() => engine.PullImageAsync("nope", null, null, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("pull access denied"));
    }

    [Test]
    public async Task ListContainersAsync_NewerServer_UsesTheLibrarysMaxApiVersion()
    {
        using var fake = new FakeDockerEngine(context => FakeDockerEngine.WriteAsync(context, 200, "[]"), apiVersion: "1.60");
        using var engine = new DockerEngine(new DockerEngineOptions(fake.Host));

        await engine.ListContainersAsync(["a=b"], CancellationToken.None);
        await engine.ListContainersAsync([], CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(engine.ApiVersion, Is.EqualTo("1.54"));
            Assert.That(fake.Requests.Count(r => r == "GET /version"), Is.EqualTo(1));
            Assert.That(fake.Requests, Has.Some.StartsWith("GET /v1.54/containers/json?all=1&filters="));
        });
    }

    [Test]
    public void CreateContainerAsync_ServerError_CarriesEngineMessageAndStatus()
    {
        using var fake = new FakeDockerEngine(context => FakeDockerEngine.WriteAsync(context, 500, "{\"message\":\"boom from engine\"}"));
        using var engine = new DockerEngine(new DockerEngineOptions(fake.Host));

        var ex = Assert.CatchAsync<EngineException>(() =>
            engine.CreateContainerAsync(new ContainerCreateRequest { Name = "x", Image = "y" }, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("boom from engine"));
            Assert.That(ex.StatusCode, Is.EqualTo(500));
        });
    }

    [Test]
    public void CreateContainerAsync_InspectedImageCarriesANodeLabel_RefusedFromItWithNoCallToTheEngine()
    {
        // The image the puller's presence check found (ContainerCreateRequest.InspectedImage) is what the label check reads:
        // no second inspect, and its labels still refuse the create.
        using var fake = new FakeDockerEngine(context => FakeDockerEngine.WriteAsync(context, 500, "{\"message\":\"not expected\"}"));
        using var engine = new DockerEngine(new DockerEngineOptions(fake.Host));
        var request = new ContainerCreateRequest
        {
            Name = "gradient-web-0-abc123",
            Image = "evil:1",
            InspectedImage = new ImageDetails("sha256:1", ["evil:1"], null, null, [], new Dictionary<string, string> { [ContainerLabels.Gpus] = "GPU-0" }),
        };

        var ex = Assert.ThrowsAsync<ImageLabelsRefusedException>(() => engine.CreateContainerAsync(request, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("carries the label gradient.gpus"));
            Assert.That(fake.Requests, Is.Empty, "neither an inspect nor a create reached the engine");
        });
    }

    [Test]
    public async Task CreateContainerAsync_FullRequest_SendsEveryFieldOnTheWire()
    {
        string? body = null;
        using var fake = new FakeDockerEngine(async context =>
        {
            body = context.BodyText;
            await FakeDockerEngine.WriteAsync(context, 201, "{\"Id\":\"abc\",\"Warnings\":[]}");
        });
        using var engine = new DockerEngine(new DockerEngineOptions(fake.Host));
        var request = new ContainerCreateRequest
        {
            Name = "app-1",
            Image = "gradient-test/web:1",
            Entrypoint = ["/bin/sh", "-c", "echo hi"],
            Env = ["A=1"],
            Labels = new Dictionary<string, string> { ["gradient.deployment"] = "app" },
            ExposedPorts = [8080],
            Runtime = "nvidia",
            Gpus = new GpuRequest(["0", "1"]),
            Binds = [new BindMount("/data", "/opt/data", ReadOnly: true)],
            NetworkMode = "bridge",
            MemoryBytes = 1024,
            NanoCpus = 500_000_000,
            PidsLimit = 4096,
            Log = new LogRotation("10m", 3),
        };

        var id = await engine.CreateContainerAsync(request, CancellationToken.None);

        using var json = System.Text.Json.JsonDocument.Parse(body!);
        var root = json.RootElement;
        var host = root.GetProperty("HostConfig");
        var gpu = host.GetProperty("DeviceRequests")[0];
        Assert.Multiple(() =>
        {
            Assert.That(id, Is.EqualTo("abc"));
            Assert.That(fake.Requests, Does.Contain("POST /v1.41/containers/create?name=app-1"));
            Assert.That(root.GetProperty("Image").GetString(), Is.EqualTo("gradient-test/web:1"));
            Assert.That(root.GetProperty("Entrypoint").GetArrayLength(), Is.EqualTo(3));
            Assert.That(root.TryGetProperty("Cmd", out _), Is.False);
            Assert.That(root.GetProperty("Env")[0].GetString(), Is.EqualTo("A=1"));
            Assert.That(root.GetProperty("ExposedPorts").GetProperty("8080/tcp").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Object));
            Assert.That(root.GetProperty("Labels").GetProperty("gradient.deployment").GetString(), Is.EqualTo("app"));
            Assert.That(host.GetProperty("Runtime").GetString(), Is.EqualTo("nvidia"));
            Assert.That(host.TryGetProperty("Binds", out var binds) && binds.ValueKind != System.Text.Json.JsonValueKind.Null, Is.False, "no src:dst:ro strings");
            Assert.That(host.GetProperty("Mounts")[0].GetProperty("Type").GetString(), Is.EqualTo("bind"));
            Assert.That(host.GetProperty("Mounts")[0].GetProperty("Source").GetString(), Is.EqualTo("/data"));
            Assert.That(host.GetProperty("Mounts")[0].GetProperty("Target").GetString(), Is.EqualTo("/opt/data"));
            Assert.That(host.GetProperty("Mounts")[0].GetProperty("ReadOnly").GetBoolean(), Is.True);
            Assert.That(host.GetProperty("PidsLimit").GetInt64(), Is.EqualTo(4096));
            Assert.That(host.GetProperty("LogConfig").GetProperty("Config").GetProperty("max-file").GetString(), Is.EqualTo("3"));
            Assert.That(host.GetProperty("NetworkMode").GetString(), Is.EqualTo("bridge"));
            Assert.That(host.GetProperty("Memory").GetInt64(), Is.EqualTo(1024));
            Assert.That(host.GetProperty("NanoCpus").GetInt64(), Is.EqualTo(500_000_000));
            Assert.That(gpu.GetProperty("Driver").GetString(), Is.EqualTo("nvidia"));
            Assert.That(gpu.GetProperty("DeviceIDs")[1].GetString(), Is.EqualTo("1"));
            Assert.That(gpu.GetProperty("Count").GetInt64(), Is.Zero);
            Assert.That(gpu.GetProperty("Capabilities")[0][0].GetString(), Is.EqualTo("gpu"));
        });
    }

    [TestCase(null)]
    [TestCase("NVIDIA_DRIVER_CAPABILITIES=compute,utility,video")]
    public async Task CreateContainerAsync_RequestFromAGpuLease_ExactlyOneDriverCapabilitiesEntryOnTheWire(string? specs)
    {
        // The lease and GpuVisibility both used to add the default; the create path (GpuVisibility) is its one owner.
        string? body = null;
        using var fake = new FakeDockerEngine(async context =>
        {
            body = context.BodyText;
            await FakeDockerEngine.WriteAsync(context, 201, "{\"Id\":\"abc\",\"Warnings\":[]}");
        });
        using var engine = new DockerEngine(new DockerEngineOptions(fake.Host));
        var type = GradientNode.Core.Gpus.MachineTypeTable.BuiltIn.Find("A100-80G")!;
        using var lease = new GradientNode.Core.Gpus.GpuLease(
            type, [new(0, "GPU-0", "NVIDIA A100-SXM4-80GB", 81920, 0, 0, true)], nvidiaRuntime: true, cpus: 2, waitMessage: null, heldLock: null);
        var request = lease.Apply(new ContainerCreateRequest
        {
            Name = "gradient-llm-0-abcdef",
            Image = "img",
            Env = specs is null ? ["A=1"] : ["A=1", specs],
            InspectedImage = new ImageDetails("sha256:1", ["img"], null, null, [], new Dictionary<string, string>()),
        });

        await engine.CreateContainerAsync(request, CancellationToken.None);

        using var json = System.Text.Json.JsonDocument.Parse(body!);
        var capabilities = json.RootElement.GetProperty("Env").EnumerateArray().Select(e => e.GetString()!)
            .Where(e => e.StartsWith("NVIDIA_DRIVER_CAPABILITIES", StringComparison.Ordinal)).ToList();
        Assert.That(capabilities, Is.EqualTo(new[] { specs ?? "NVIDIA_DRIVER_CAPABILITIES=compute,utility" }));
    }

    [Test]
    public async Task ExecAsync_HijackedStream_ReturnsExitCodeAndOutput()
    {
        using var fake = new FakeDockerEngine(context => context.Url.AbsolutePath switch
        {
            "/v1.41/containers/c1/exec" => FakeDockerEngine.WriteAsync(context, 201, "{\"Id\":\"e1\"}"),
            "/v1.41/exec/e1/start" => context.RespondAsync(200, [1, 0, 0, 0, 0, 0, 0, 3, (byte)'o', (byte)'k', (byte)'\n'], "application/vnd.docker.raw-stream", rawStream: true),
            "/v1.41/exec/e1/json" => FakeDockerEngine.WriteAsync(context, 200, "{\"Running\":false,\"ExitCode\":7}"),
            _ => FakeDockerEngine.WriteAsync(context, 404, "{\"message\":\"not scripted\"}"),
        });
        using var engine = new DockerEngine(new DockerEngineOptions(fake.Host));

        var result = await engine.ExecAsync("c1", ["nvidia-smi", "-L"], TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.That(result, Is.EqualTo(new ExecResult(7, "ok\n")), string.Join(", ", fake.Requests));
    }

    [Test]
    public async Task RemoveContainerAsync_RemovalAlreadyInProgressForAnotherCaller_WaitsUntilItIsGoneWithoutError()
    {
        // A node killed mid-removal leaves its DELETE running in dockerd: a second remover got 409 and threw (a CI teardown did).
        var inspections = 0;
        using var fake = new FakeDockerEngine(context => (context.Method, context.Url.AbsolutePath) switch
        {
            ("DELETE", "/v1.41/containers/c1") => FakeDockerEngine.WriteAsync(context, 409, "{\"message\":\"removal of container c1 is already in progress\"}"),
            ("GET", "/v1.41/containers/c1/json") => Interlocked.Increment(ref inspections) < 3
                ? FakeDockerEngine.WriteAsync(context, 200, "{\"Id\":\"c1\",\"State\":{\"Status\":\"removing\"}}")
                : FakeDockerEngine.WriteAsync(context, 404, "{\"message\":\"No such container: c1\"}"),
            _ => FakeDockerEngine.WriteAsync(context, 404, "{\"message\":\"not scripted\"}"),
        });
        using var engine = new DockerEngine(new DockerEngineOptions(fake.Host));

        await engine.RemoveContainerAsync("c1", force: true, CancellationToken.None);

        Assert.That(fake.Requests.Count(r => r == "GET /v1.41/containers/c1/json"), Is.EqualTo(3), string.Join(", ", fake.Requests));
    }

    [Test]
    public void RemoveContainerAsync_OtherConflict_ThrowsItWithoutWaiting()
    {
        using var fake = new FakeDockerEngine(context => FakeDockerEngine.WriteAsync(context, 409,
            "{\"message\":\"cannot remove container c1: container is running: stop the container before removing or force remove\"}"));
        using var engine = new DockerEngine(new DockerEngineOptions(fake.Host));

        var ex = Assert.ThrowsAsync<ContainerConflictException>(() => engine.RemoveContainerAsync("c1", force: false, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("container is running"));
            Assert.That(fake.Requests, Has.None.Contains("/json"));
        });
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool and would race the assertions).</summary>
    private sealed class SyncProgress(List<PullProgress> reports) : IProgress<PullProgress>
    {
        public void Report(PullProgress value) => reports.Add(value);
    }
}
