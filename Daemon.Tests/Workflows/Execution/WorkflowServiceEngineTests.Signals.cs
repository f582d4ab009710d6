using GradientNode.Core.Workflows.Runs;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>A job whose process a signal ends: the real engine reports 128 + N, and the message names the signal.</summary>
internal sealed partial class WorkflowServiceEngineTests
{
    [Test]
    public async Task Run_JobKilledBySigkill_FailedNamingTheSignal()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        var service = await StartServiceAsync(engine);

        // The shell is the container's PID 1, which ignores signals it has no handler for; its child is not.
        var status = await RunAsync(service, "killed", $$"""
            jobs:
              k:
                uses: container@v1
                with: {image: {{Image}}, args: [sh, -c, "sh -c 'kill -9 $$'; exit $?"]}
            """);
        await service.StopAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Failed));
            Assert.That(status.Jobs["k"].ExitCode, Is.EqualTo(137));
            Assert.That(status.Jobs["k"].Message, Does.StartWith("exited with code 137 (SIGKILL: killed, e.g. by docker kill"));
        });
    }
}
