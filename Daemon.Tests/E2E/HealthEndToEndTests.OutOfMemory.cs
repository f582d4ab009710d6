using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>A replica the kernel kills for going over its machine type's memory: the status says out of memory.</summary>
internal sealed partial class HealthEndToEndTests
{
    private const string BashImage = "gradient-test/bash:1";

    [Test]
    public async Task Crash_ReplicaOverItsMemory_StatusSaysOutOfMemory()
    {
        var node = GradientNodeProcess.Prepare();
        _processes.Add(node);
        Directory.CreateDirectory(node.Root);
        var config = Path.Combine(node.Root, "node.yaml");

        // 16 MiB for the whole container (the engine's floor is 6 MB): a shell that holds 64 MB of text goes over it.
        await File.WriteAllTextAsync(config, "machineTypes:\n  tiny:\n    gpus: 0\n    cpus: 1\n    memoryGiB: 0.015625\n");
        await node.StartAsync(["--config", config]);
        await node.WriteSpecAsync("web.yaml", $"""
            apiVersion: v1
            name: hog
            image: {BashImage}
            command: ["bash", "-c", "x=$(head -c 64000000 /dev/zero | tr '\\0' a); sleep 600"]
            resources:
              machineType: tiny
              ports: [8080]
              replicas: 1
            """);

        var killed = await node.WaitForStatusAsync(
            "hog",
            s => s.Message.Contains("killed: out of memory", StringComparison.Ordinal),
            "a replica killed out of memory",
            TestTimeouts.Rollout);

        Assert.Multiple(() =>
        {
            Assert.That(killed.State, Is.EqualTo(DeploymentState.Degraded));
            Assert.That(killed.Message, Does.Contain("replica 0 was killed: out of memory (exit code 137; the container went over its memory limit of 16 MiB, the memory of its machine type)"));
        });
    }
}
