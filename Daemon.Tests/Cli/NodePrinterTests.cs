using System.Text.Json;
using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class NodePrinterTests
{
    private const string CpuBox = """
        {
          "node": "default", "version": "1.0.0", "specsDir": "/etc/gradient/specs", "stateDir": "/var/lib/gradient",
          "runDir": "/run/gradient", "socket": "/run/gradient/gradient.sock", "listen": [ "http://0.0.0.0:8080" ], "domain": "localhost",
          "engine": { "host": "unix:///var/run/docker.sock", "reachable": true, "version": "20.10.24\u002Bdfsg1", "apiVersion": "1.41",
                      "runtimes": [ "io.containerd.runc.v2", "runc" ], "liveRestore": true },
          "gpus": [], "gpuNote": "no nvidia-smi on PATH: this is a CPU box; machine types with GPUs wait",
          "deployments": 2, "disk": { "volumes": 0, "models": 13476839424, "datasets": 1536, "images": 9576837, "deployments": {} }, "warnings": [],
          "host": { "cpus": 16, "memoryBytes": 137438953472 }
        }
        """;

    private const string GpuBox = """
        {
          "node": "gpu1", "version": "1.0.0", "listen": [], "domain": "localhost",
          "engine": { "host": "unix:///var/run/docker.sock", "reachable": false, "runtimes": [], "liveRestore": false, "error": "connection refused" },
          "gpus": [
            { "index": 0, "uuid": "GPU-aaa", "name": "NVIDIA H100", "memoryTotalMiB": 81559, "memoryUsedMiB": 1024, "utilizationPercent": 7, "temperatureC": 41, "migDevices": [], "heldBy": "llm-0" },
            { "index": 1, "uuid": "GPU-bbb", "name": "NVIDIA H100", "memoryTotalMiB": 81559, "memoryUsedMiB": 0, "utilizationPercent": 0, "migDevices": [] }
          ],
          "deployments": 1, "host": { "cpus": 4 }, "disk": { "volumes": 1, "models": 2, "datasets": 3, "deployments": {} },
          "warnings": [ "the nvidia runtime is not registered with Docker" ]
        }
        """;

    [Test]
    public void Summary_CpuBox_PrintsEngineRuntimesAndGpuNote()
    {
        using var output = new StringWriter();

        NodePrinter.Summary(output, Parse(CpuBox));

        var text = output.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.StartWith("Node:        default (gradient-node 1.0.0)\n"));
            Assert.That(text, Does.Contain("\nEngine:      Docker 20.10.24+dfsg1 (API 1.41) at unix:///var/run/docker.sock, live-restore on\n"));
            Assert.That(text, Does.Contain("\nRuntimes:    io.containerd.runc.v2, runc\n"));
            Assert.That(text, Does.Contain("\nGPUs:        none (no nvidia-smi on PATH: this is a CPU box; machine types with GPUs wait)\n"));
            Assert.That(text, Does.Contain("\nDeployments: 2\n"));
            Assert.That(text, Does.Contain("\nDisk:        images 9.1 MiB, volumes 0 bytes, models 12.6 GiB, datasets 1.5 KiB\n"));
            Assert.That(text, Does.Contain("\nMachine:     16 CPUs, 128 GiB memory\n"));
            Assert.That(text, Does.Not.Contain("Warnings"));
        });
    }

    [Test]
    public void Summary_GpuBoxEngineDown_PrintsGpuTableWithHoldersAndWarnings()
    {
        using var output = new StringWriter();

        NodePrinter.Summary(output, Parse(GpuBox));

        var text = output.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("\nEngine:      unreachable at unix:///var/run/docker.sock: connection refused\n"));
            Assert.That(text, Does.Contain("\nGPUs:        2\n"));
            Assert.That(text, Does.Contain("\n  INDEX  NAME         UUID     MEMORY          UTIL  TEMP  HELD BY\n"));
            Assert.That(text, Does.Contain("\n  0      NVIDIA H100  GPU-aaa  1024/81559 MiB  7 %   41 C  llm-0\n"));
            Assert.That(text, Does.Contain("\n  1      NVIDIA H100  GPU-bbb  0/81559 MiB     0 %   -     free\n"));
            Assert.That(text, Does.Contain("\nMachine:     4 CPUs, memory unknown\n"));
            Assert.That(text, Does.Contain("\nDisk:        volumes 1 byte, models 2 bytes, datasets 3 bytes\n"));
            Assert.That(text, Does.EndWith("Warnings:\n  the nvidia runtime is not registered with Docker\n"));
        });
    }

    [Test]
    public void Json_EscapedPlus_PrintsItUnescapedAndIndented()
    {
        var json = NodePrinter.Json(Parse(CpuBox));

        Assert.That(json, Does.Contain("\"version\": \"20.10.24+dfsg1\"").And.Not.Contain("\\u002B"));
        Assert.That(JsonDocument.Parse(json).RootElement.GetProperty("deployments").GetInt32(), Is.EqualTo(2));
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
