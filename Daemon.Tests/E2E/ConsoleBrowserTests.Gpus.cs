using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>The node page's GPUs (model, memory, utilisation, temperature, holder) and a replica's GPU, on a fake two-GPU box.</summary>
internal sealed partial class ConsoleBrowserTests
{
    private FakeNvidiaSmi? _smi;

    [Test]
    public async Task NodeAndDeployment_FakeTwoGpuBox_ShowEachGpuWithItsHolderAndTheReplicasGpu()
    {
        await TestEnvironment.RequireNvidiaRuntimeAsync(_engine);

        // This test's node runs with a fake nvidia-smi on PATH: replace the plain node SetUp started.
        await _console.DisposeAsync();
        await _node.DisposeAsync();
        _smi = new FakeNvidiaSmi(gpus: 2);
        _node = GradientNodeProcess.Prepare();
        _node.ExtraEnvironment["PATH"] = _smi.SearchPath;
        await _node.StartAsync(extraArgs: []);
        _console = await ConsoleProcess.StartAsync(_node);
        await _node.WriteSpecAsync("llm.yaml", $"""
            apiVersion: v1
            name: llm
            image: {TestEnvironment.WebImage}
            resources:
              machineType: A100-80G
              ports: [8080]
              replicas: 1
            """);
        var llm = await _node.WaitForStatusAsync("llm", s => s.State == DeploymentState.Ready, "Ready");
        var uuid = llm.Replicas.Single().Gpus.Single();

        await _page.GotoAsync(_console.Url + "#/node");
        var rows = _page.Locator("#gpus tbody tr");
        await rows.Nth(1).WaitForAsync();
        var cells = await rows.EvaluateAllAsync<string[][]>("rows => rows.map(r => [...r.cells].map(c => c.textContent))");
        Assert.That(cells, Has.Length.EqualTo(2));
        Assert.That(cells.Select(r => r[1]), Is.All.EqualTo("NVIDIA A100-SXM4-80GB"));
        Assert.That(cells.Select(r => r[2]), Is.EquivalentTo(new[] { "0 / 81920 MiB", "100 / 81920 MiB" }));
        Assert.That(cells.Select(r => r[3]), Is.EquivalentTo(new[] { "0%", "10%" }));
        Assert.That(cells.Select(r => r[4]), Is.EquivalentTo(new[] { "40 °C", "41 °C" }));
        Assert.That(cells.Select(r => r[5]), Has.Exactly(1).StartsWith("llm-").And.Exactly(1).EqualTo("free"));
        await Screenshot("console-node-gpus");

        await _page.GotoAsync(_console.Url + "#/d/llm");
        await _page.Locator("#replicas tr[data-replica='0'] td", new() { HasTextString = uuid }).WaitForAsync();
    }
}
