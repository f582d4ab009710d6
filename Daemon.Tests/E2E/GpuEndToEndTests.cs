using GradientNode.Core.Engine;
using GradientNode.Core.Gpus;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// The published binary on a fake two-GPU box (a fake nvidia-smi on PATH) against the dev dockerd, whose
/// daemon.json maps a runtime named nvidia to runc: exclusive GPUs by UUID, waiting replicas, restarts.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class GpuEndToEndTests
{
    private DockerEngine _engine = null!;
    private GradientNodeProcess _node = null!;
    private FakeNvidiaSmi _smi = null!;

    [SetUp]
    public async Task SetUp()
    {
        _engine = await TestEnvironment.RequireEngineAsync();
        await TestEnvironment.RequireNvidiaRuntimeAsync(_engine);

        _smi = new FakeNvidiaSmi(gpus: 2);
        _node = GradientNodeProcess.Prepare();
        _node.ExtraEnvironment["PATH"] = _smi.SearchPath;
        _node.ExtraEnvironment["GN_GPU_CHECK_SECONDS"] = "2";
        await _node.StartAsync(extraArgs: []);
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null!;
        }

        _smi?.Dispose();
        _smi = null!;
        _engine?.Dispose();
        _engine = null!;
    }

    [Test]
    public async Task Up_GpuAndCpuTypes_GpuReplicasGetDistinctUuidsAndTheRuntimeCpuGetsNone()
    {
        await _node.WriteSpecAsync("llm.yaml", Spec("llm", "A100-80G", 2));
        await _node.WriteSpecAsync("web.yaml", Spec("web", "C4", 1));

        var llm = await _node.WaitForStatusAsync("llm", s => s.State == DeploymentState.Ready, "Ready");
        await _node.WaitForStatusAsync("web", s => s.State == DeploymentState.Ready, "Ready");

        Assert.That(llm.Replicas.SelectMany(i => i.Gpus), Is.EquivalentTo(_smi.Uuids));
        foreach (var container in await _node.ContainersAsync(_engine, "llm"))
        {
            var (runtime, env) = await InspectRawAsync(container.Id);
            var uuid = container.Labels[ContainerLabels.Gpus];
            Assert.That(runtime, Is.EqualTo("nvidia"));
            Assert.That(env, Does.Contain($"NVIDIA_VISIBLE_DEVICES={uuid}"));
            Assert.That(env, Does.Contain("NVIDIA_DRIVER_CAPABILITIES=compute,utility"));
        }

        var web = (await _node.ContainersAsync(_engine, "web")).Single();
        var (webRuntime, webEnv) = await InspectRawAsync(web.Id);
        Assert.That(webRuntime, Is.Not.EqualTo("nvidia"));
        Assert.That(webEnv.Where(e => e.StartsWith("NVIDIA_VISIBLE_DEVICES=", StringComparison.Ordinal)), Is.EqualTo(new[] { "NVIDIA_VISIBLE_DEVICES=void" }), "no GPU: the toolkit injects nothing");
        Assert.That(web.Labels.ContainsKey(ContainerLabels.Gpus), Is.False);

        var node = await _node.CliAsync("node", "-o", "json");
        Assert.That(node.ExitCode, Is.Zero, node.ToString());
        Assert.That(node.Stdout, Does.Contain(_smi.Uuids[1]).And.Contain("\"heldBy\": \"llm-").And.Contain("NVIDIA A100-SXM4-80GB").And.Contain("\"temperatureC\": 41"));
    }

    [Test]
    public async Task Up_MoreReplicasThanGpus_OneWaitsWithTheMessageAndStartsWhenAGpuFrees()
    {
        await _node.WriteSpecAsync("a.yaml", Spec("a", "A100-80G", 1));
        await _node.WaitForStatusAsync("a", s => s.State == DeploymentState.Ready, "Ready");

        await _node.WriteSpecAsync("b.yaml", Spec("b", "A100-80G", 2));
        var waiting = await _node.WaitForStatusAsync("b", s => s.ReadyReplicas == 1 && s.Message.Contains("waits for GPUs", StringComparison.Ordinal), "1 ready, 1 waiting");

        Assert.That(waiting.State, Is.EqualTo(DeploymentState.Degraded));
        Assert.That(waiting.Message, Does.Match(@"1/2 ready: replica 1 waits for GPUs: needs 1 GPU of A100-80G, 0 of 2 free: held by (a-0 \(GPU \d\), b-0 \(GPU \d\)|b-0 \(GPU \d\), a-0 \(GPU \d\))"));
        Assert.That(await _node.ContainersAsync(_engine, "b"), Has.Count.EqualTo(1));

        await _node.WriteSpecAsync("a.yaml", Spec("a", "A100-80G", 0));
        var b = await _node.WaitForStatusAsync("b", s => s.State == DeploymentState.Ready, "Ready once a's GPU is free");

        Assert.That(b.Replicas.SelectMany(i => i.Gpus), Is.EquivalentTo(_smi.Uuids));
    }

    [Test]
    public async Task Restart_DaemonRestart_KeepsAssignmentsAndNeverDoubleAssigns()
    {
        await _node.WriteSpecAsync("a.yaml", Spec("a", "A100-80G", 2));
        var before = await _node.WaitForStatusAsync("a", s => s.State == DeploymentState.Ready, "Ready");
        var assigned = before.Replicas.ToDictionary(i => i.ContainerId, i => string.Join(",", i.Gpus));

        await _node.StopAsync();
        await _node.StartAsync(extraArgs: []);
        await _node.WriteSpecAsync("c.yaml", Spec("c", "A100-80G", 1));

        var after = await _node.WaitForStatusAsync("a", s => s.State == DeploymentState.Ready, "Ready after the restart");
        var c = await _node.WaitForStatusAsync("c", s => s.Message.Contains("waits for GPUs", StringComparison.Ordinal), "c waiting");
        Assert.That(after.Replicas.ToDictionary(i => i.ContainerId, i => string.Join(",", i.Gpus)), Is.EquivalentTo(assigned));
        Assert.That(c.State, Is.EqualTo(DeploymentState.Progressing));
        Assert.That(c.Message, Does.Contain("needs 1 GPU of A100-80G, 0 of 2 free: held by a-"));
        Assert.That(await _node.ContainersAsync(_engine, "c", runningOnly: false), Is.Empty);
    }

    [Test]
    public async Task GpuLost_NvmlFailsInTheContainer_ReplicaIsReplacedAndTheNodeWarns()
    {
        await _node.WriteSpecAsync("llm.yaml", Spec("llm", "A100-80G", 1));
        var before = await _node.WaitForStatusAsync("llm", s => s.State == DeploymentState.Ready, "Ready");
        var old = before.Replicas.Single();
        var healthy = await _engine.ExecAsync(old.ContainerId, ["nvidia-smi", "-L"], TestTimeouts.Short, CancellationToken.None);
        if (GpuLossMatcher.IsMissingNvidiaSmi(healthy.Output))
        {
            var problem = $"{TestEnvironment.WebImage} has no fake /bin/nvidia-smi (built by an older tests/images/build.sh?). Rebuild it: DOCKER_HOST={TestEnvironment.DockerHost} tests/images/build.sh";
            if (TestEnvironment.IsCi)
            {
                Assert.Fail(problem);
            }

            Assert.Ignore(problem);
        }

        Assert.That(healthy.Output, Is.EqualTo($"GPU 0: NVIDIA A100-SXM4-80GB (UUID: {old.Gpus.Single()})\n"), "the image's fake nvidia-smi");

        // What the real nvidia-smi prints once the container lost its device access.
        await _engine.ExecAsync(old.ContainerId, ["touch", "/tmp/gpu-lost"], TestTimeouts.Short, CancellationToken.None);

        var after = await _node.WaitForStatusAsync(
            "llm",
            s => s.State == DeploymentState.Ready && s.Replicas.Count == 1 && s.Replicas[0].ContainerId != old.ContainerId,
            "a new container, ready");
        var instance = after.Replicas.Single();
        var node = await _node.CliAsync("node", "-o", "json");
        Assert.Multiple(() =>
        {
            Assert.That(instance.Restarts, Is.EqualTo(1));
            Assert.That(instance.Gpus, Has.Count.EqualTo(1));
            Assert.That(instance.History.Select(e => e.Message), Has.Some.EqualTo($"{old.Container}: GPU lost: Failed to initialize NVML: Unknown Error"));
            Assert.That(node.ExitCode, Is.Zero, node.ToString());
            Assert.That(node.Stdout, Does.Contain($"llm-0: GPU lost: Failed to initialize NVML: Unknown Error (container {old.ContainerId[..12]}, GPU {old.Gpus.Single()}, at "));
        });
    }

    [Test]
    public async Task Up_UnknownMachineType_FailsListingTheKnownTypesInGetAndOneShortLineInLs()
    {
        await _node.WriteSpecAsync("x.yaml", Spec("x", "Z9000", 1));
        await _node.WriteSpecAsync("y.yaml", Spec("y", "A10O", 1));

        var status = await _node.WaitForStatusAsync("x", s => s.State == DeploymentState.Failed, "Failed");
        var typo = await _node.WaitForStatusAsync("y", s => s.State == DeploymentState.Failed, "Failed");
        var ls = await _node.CliAsync("ls");
        var get = await _node.CliAsync("get", "y");

        var row = ls.Stdout.Split('\n').Single(l => l.StartsWith("y ", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(status.Message, Does.Contain("resources.machineType 'Z9000' is not a known machine type; known types: C3, C4").And.Contain("A100-80Gx8"));
            Assert.That(typo.Message, Does.StartWith("resources.machineType 'A10O' is not a known machine type; did you mean 'A100'? known types: C3, C4").And.Contain("A100-80Gx8"));
            Assert.That(get.Stdout, Does.Contain(typo.Message), "get keeps the whole message");
            Assert.That(row, Does.Contain("resources.machineType 'A10O' is not a known machine type; did you mean 'A100'?").And.EndWith("…"), ls.Stdout);
            Assert.That(row, Does.Not.Contain("A100-80Gx8"), "before, ls listed all the types on its one line");
        });
    }

    [Test]
    public async Task Autoscale_MoreReplicasThanGpus_ExtraReplicaWaitsAndTheAutoscalerDoesNotLoop()
    {
        await _node.WriteSpecAsync("llm.yaml", Spec("llm", "A100-80G", 1) + """

              autoscaling:
                enabled: true
                maxReplicas: 4
                metrics:
                  - metric: cpu
                    summary: average
                    value: 5
            """);
        var ready = await _node.WaitForStatusAsync("llm", s => s.State == DeploymentState.Ready, "Ready");
        using (var http = new HttpClient { Timeout = TestTimeouts.Request })
        {
            // One busy core of the replica's 2 CPUs (the node's share here) is 50 %, 10× the 5 % target: more replicas than the
            // 2 GPUs. The target is low so that the burn still counts on a loaded 2-core CI box, where it may get a fraction of a core.
            using var response = await http.GetAsync(new Uri($"http://{ready.Replicas[0].Address}/cgi-bin/burn?60"));
            response.EnsureSuccessStatusCode();
        }

        var waiting = await _node.WaitForStatusAsync(
            "llm",
            s => s.DesiredReplicas >= 3 && s.ReadyReplicas == 2 && s.Message.Contains("waits for GPUs", StringComparison.Ordinal),
            "2 ready on the 2 GPUs and one waiting",
            TestTimeouts.Rollout);
        Assert.That(waiting.Autoscaling!.LastScale!.From, Is.EqualTo(1));

        // Evaluations go on every 2 s; the waiting replica is not counted, so the count does not climb.
        await TestTimeouts.HoldAsync("several evaluations (every 2 s) in which the count must not climb", TimeSpan.FromSeconds(8));
        var later = (await _node.StatusAsync("llm"))!;
        Assert.That(later.DesiredReplicas, Is.EqualTo(waiting.DesiredReplicas), later.Autoscaling?.LastScale?.Reason);
        Assert.That(later.Message, Does.Contain("waits for GPUs"));
        Assert.That(await _node.ContainersAsync(_engine, "llm"), Has.Count.EqualTo(2));
    }

    private static string Spec(string name, string machineType, int replicas) => $"""
        apiVersion: v1
        name: {name}
        image: {TestEnvironment.WebImage}
        resources:
          machineType: {machineType}
          ports: [8080]
          replicas: {replicas}
        """;

    /// <summary>HostConfig.Runtime and Config.Env, which the engine interface does not expose.</summary>
    private static async Task<(string? Runtime, IReadOnlyList<string> Env)> InspectRawAsync(string id)
    {
        using var doc = await TestEnvironment.InspectContainerJsonAsync(id, CancellationToken.None);
        var root = doc.RootElement;
        var runtime = root.GetProperty("HostConfig").TryGetProperty("Runtime", out var r) ? r.GetString() : null;
        var env = root.GetProperty("Config").GetProperty("Env").EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList();
        return (runtime, env);
    }
}
