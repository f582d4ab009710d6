using System.Text.Json;
using GradientNode.Core.Engine;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// The published binary on a fake one-GPU box (fake nvidia-smi on PATH, a dockerd runtime named nvidia mapped to runc):
/// a workflow job with a GPU instance type waits, PENDING, while a deployment's replica holds the GPU, then gets it.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class WorkflowGpuEndToEndTests
{
    private DockerEngine _engine = null!;
    private GradientNodeProcess _node = null!;
    private FakeNvidiaSmi _smi = null!;

    [SetUp]
    public async Task SetUp()
    {
        _engine = await TestEnvironment.RequireEngineAsync();
        await TestEnvironment.RequireNvidiaRuntimeAsync(_engine);

        _smi = new FakeNvidiaSmi(gpus: 1);
        _node = GradientNodeProcess.Prepare();
        _node.ExtraEnvironment["PATH"] = _smi.SearchPath;
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
    public async Task WorkflowsRun_GpuJobWhileAReplicaHoldsTheOnlyGpu_PendingSayingSo_RunsOnceFreed()
    {
        await _node.WriteSpecAsync("hold.yaml", Spec(1));
        await _node.WaitForStatusAsync("hold", s => s.State == DeploymentState.Ready, "Ready");
        var file = Path.Combine(_node.Root, "gpu.yaml");
        await File.WriteAllTextAsync(file, $$"""
            jobs:
              train:
                resources:
                  instance-type: A100-80G
                outputs:
                  gpu: {type: string}
                uses: container@v1
                with:
                  image: {{TestEnvironment.WebImage}}
                  args: [sh, -c, "echo -n $NVIDIA_VISIBLE_DEVICES > /outputs/gpu"]
            """);

        var run = _node.CliAsync("workflows", "run", "-f", file, "--wait");
        JsonElement waiting = default;
        await TestTimeouts.WaitUntilAsync(
            async () =>
            {
                var get = await _node.CliAsync("workflows", "get", "gpu", "1", "-o", "json");
                if (get.ExitCode != 0)
                {
                    return false;
                }

                waiting = JsonDocument.Parse(get.Stdout).RootElement.Clone();
                return waiting.GetProperty("jobs").GetProperty("train").TryGetProperty("message", out var m) && m.GetString() is not null;
            },
            TestTimeouts.Container,
            "the job to wait for the GPU");
        var job = waiting.GetProperty("jobs").GetProperty("train");
        Assert.Multiple(() =>
        {
            Assert.That(job.GetProperty("phase").GetString(), Is.EqualTo("PENDING"));
            Assert.That(job.GetProperty("message").GetString(), Is.EqualTo("waits for GPUs: needs 1 GPU of A100-80G, 0 of 1 free: held by hold-0 (GPU 0)"));
            Assert.That(waiting.GetProperty("phase").GetString(), Is.EqualTo("RUNNING"));
        });

        await _node.WriteSpecAsync("hold.yaml", Spec(0));
        var finished = await run.WaitAsync(TestTimeouts.Rollout);
        var status = await _node.CliAsync("workflows", "get", "gpu", "1", "-o", "json");

        Assert.That(finished.ExitCode, Is.Zero, finished.ToString());
        Assert.That(finished.Stdout, Does.Contain("train: SUCCEEDED").And.Contain("run 1: SUCCEEDED"));
        using var json = JsonDocument.Parse(status.Stdout);
        Assert.That(json.RootElement.GetProperty("jobs").GetProperty("train").GetProperty("outputs").GetProperty("gpu").GetProperty("value").GetString(), Is.EqualTo(_smi.Uuids[0]), "the job got the GPU by UUID");
    }

    private static string Spec(int replicas) => $"""
        apiVersion: v1
        name: hold
        image: {TestEnvironment.WebImage}
        resources:
          machineType: A100-80G
          ports: [8080]
          replicas: {replicas}
        """;
}
