using GradientNode.Core.Workflows.Runs;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>A job container the real engine refuses to start, for a reason a secret of its env gives it.</summary>
internal sealed partial class WorkflowServiceEngineTests
{
    /// <summary>Secret <c>nul</c>: a value runc refuses (a NUL byte) and echoes, quoted, in the engine's answer.</summary>
    private const string NulSecret = "wf-head\0wf-tail";

    [Test]
    public async Task Run_EngineRefusesStartOfASecretsEnv_JobErrorQuotesTheEngineWithoutTheSecret_NextRunSucceeds()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        var service = await StartServiceAsync(engine);

        // dockerd creates the container, then answers its start with HTTP 500: runc quotes the whole TOKEN=VALUE (%q).
        var refused = await RunAsync(service, "refused", $$"""
            jobs:
              s:
                env:
                  TOKEN: secret:nul
                uses: container@v1
                with: {image: {{Image}}, args: [sh, -c, "true"]}
            """);
        var fine = await RunAsync(service, "fine", $$"""
            jobs:
              s:
                env:
                  TOKEN: secret:greeting
                uses: container@v1
                with: {image: {{Image}}, args: [sh, -c, "true"]}
            """);
        await service.StopAsync(CancellationToken.None);

        var message = refused.Jobs["s"].Message;
        Assert.Multiple(() =>
        {
            Assert.That(refused.Jobs["s"].Phase, Is.EqualTo(WorkflowPhase.Error));
            Assert.That(message, Does.StartWith("jobs.s: the container did not start: the Docker engine refused start container "));
            Assert.That(message, Does.Contain("(HTTP 500)"));
            Assert.That(message, Does.Contain("environment variable value can't contain null").And.Contain("TOKEN=***"));
            Assert.That(message, Does.Not.Contain("wf-head").And.Not.Contain("wf-tail"));
            Assert.That(File.ReadAllText(Path.Combine(_state, "workflows", "refused", "1", "run.json")), Does.Not.Contain("wf-head").And.Not.Contain("wf-tail"));
            Assert.That(fine.Phase, Is.EqualTo(WorkflowPhase.Succeeded), "the service goes on");
        });
    }
}
