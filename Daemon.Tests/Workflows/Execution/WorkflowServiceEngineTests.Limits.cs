using GradientNode.Core.Engine;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>
/// A job's container has the limits a replica has: a job (any spec author's workflow) could fork-bomb the host and
/// fill the engine's disk with its log, since job containers were created with no pids limit and the engine's
/// default log driver options (found by the adversary review).
/// </summary>
internal sealed partial class WorkflowServiceEngineTests
{
    [Test]
    public async Task Run_Job_ContainerHasThePidsLimitAndJsonFileLogRotation()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        var service = await StartServiceAsync(engine);
        var record = await StartRunAsync(service, "limits", $$"""
            jobs:
              long:
                uses: container@v1
                with: {image: {{Image}}, args: [sh, -c, "sleep 60"]}
            """);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(service.Get("limits", record.Status.Run)!.Status.Jobs["long"].Phase == WorkflowPhase.Running), TestTimeouts.Container, "the job to run");
        var container = (await engine.ListContainersAsync([$"{ContainerLabels.Node}={_node}"], CancellationToken.None)).Single();

        using var inspect = await TestEnvironment.InspectContainerJsonAsync(container.Id, CancellationToken.None);
        service.Cancel("limits", record.Status.Run);
        await WaitFinishedAsync(service, "limits", record.Status.Run);
        await service.StopAsync(CancellationToken.None);

        var host = inspect.RootElement.GetProperty("HostConfig");
        var log = host.GetProperty("LogConfig");
        Assert.Multiple(() =>
        {
            Assert.That(host.GetProperty("PidsLimit") is { ValueKind: System.Text.Json.JsonValueKind.Number } pids ? pids.GetInt64() : (long?)null, Is.EqualTo(4096), "the replicas' default (--pids-limit)");
            Assert.That(host.GetProperty("CapDrop").EnumerateArray().Select(e => e.GetString()), Does.Contain("NET_RAW"), "no packet sockets, as replicas (ARP spoofing)");
            Assert.That(log.GetProperty("Type").GetString(), Is.EqualTo("json-file"));
            Assert.That(log.TryGetProperty("Config", out var config) && config.TryGetProperty("max-size", out var size) ? size.GetString() : null, Is.EqualTo("10m"));
            Assert.That(log.TryGetProperty("Config", out var config2) && config2.TryGetProperty("max-file", out var files) ? files.GetString() : null, Is.EqualTo("3"));
        });
    }

    [Test]
    public async Task Run_CpuJobOverTheNodesMemoryLimit_FailedNamingTheLimitAndTheSetting()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        var service = await StartServiceAsync(engine, jobMemory: 32L << 20);

        // 200 MB held in one shell variable: far past the 32 MiB the node gives a CPU job (below C5's 8 GiB).
        var status = await RunAsync(service, "hungry", $$"""
            jobs:
              hog:
                uses: container@v1
                with: {image: {{Image}}, args: [sh, -c, "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo ${#x}"]}
            """);
        await service.StopAsync(CancellationToken.None);

        var job = status.Jobs["hog"];
        Assert.Multiple(() =>
        {
            Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Failed));
            Assert.That(job.Phase, Is.EqualTo(WorkflowPhase.Failed));
            Assert.That(job.Message, Is.EqualTo("killed: out of memory at the node's 32 MiB memory limit for CPU jobs (--workflow-job-memory, node.yaml workflowJobMemory; raise it, or set none for the instance type's own memory) (exit code 137)"));
        });
    }

    [Test]
    public async Task Run_CpuJob_ContainerHasTheNodesMemoryLimit()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        var service = await StartServiceAsync(engine, jobMemory: 64L << 20);
        var record = await StartRunAsync(service, "capped", $$"""
            jobs:
              long:
                uses: container@v1
                with: {image: {{Image}}, args: [sh, -c, "sleep 60"]}
            """);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(service.Get("capped", record.Status.Run)!.Status.Jobs["long"].Phase == WorkflowPhase.Running), TestTimeouts.Container, "the job to run");
        var container = (await engine.ListContainersAsync([$"{ContainerLabels.Node}={_node}"], CancellationToken.None)).Single();

        using var inspect = await TestEnvironment.InspectContainerJsonAsync(container.Id, CancellationToken.None);
        service.Cancel("capped", record.Status.Run);
        await WaitFinishedAsync(service, "capped", record.Status.Run);
        await service.StopAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(inspect.RootElement.GetProperty("HostConfig").GetProperty("Memory").GetInt64(), Is.EqualTo(64L << 20));
            Assert.That(inspect.RootElement.GetProperty("Config").GetProperty("Labels").GetProperty(ContainerLabels.JobMemory).GetString(), Is.EqualTo((64L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        });
    }
}
