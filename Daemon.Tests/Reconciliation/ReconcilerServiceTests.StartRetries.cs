using System.Net;
using Docker.DotNet;
using GradientNode.Core.Engine;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>The pace of a deployment whose replica the engine refuses to create, with every trigger of the loop running.</summary>
internal sealed partial class ReconcilerServiceTests
{
    /// <summary>How long the loop gets (real time) to show an extra attempt, were there one.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    [Test]
    public async Task ExecuteAsync_CreateAlwaysRefused_OneAttemptPerBackoffStepNotOnePerTrigger()
    {
        var clock = new FakeTimeProvider();
        var engine = new ScriptedPullEngine
        {
            CreateFault = DockerErrors.Translate(
                new DockerApiException(HttpStatusCode.BadRequest, """{"message":"unknown or invalid runtime name: nvidia"}"""), "create container 'hello-0'", "unix:///x"),
        };
        engine.AddImage(Image);
        var (service, statuses) = Service(engine, clock);
        await WhileRunningAsync(service, async () =>
        {
            // t=0: the first scan and the first resync both ask for a pass; t=15: the recheck and the resync both fire.
            // Each of those pairs used to make two attempts (2 per 15 s).
            await service.FirstPass.WaitAsync(TestTimeouts.Short);
            await AttemptsAsync(engine, statuses, 1, "next attempt in 15s");
            clock.Advance(TimeSpan.FromSeconds(15));
            await AttemptsAsync(engine, statuses, 2, "next attempt in 30s");
            clock.Advance(TimeSpan.FromSeconds(15));
            await TestTimeouts.AssertStaysAsync(() => engine.Created == 2, Settle, "t=30: the resync only observes (2 attempts, no third)");
            clock.Advance(TimeSpan.FromSeconds(15));
            await AttemptsAsync(engine, statuses, 3, "next attempt in 60s");
        });
    }

    private static async Task AttemptsAsync(ScriptedPullEngine engine, GradientNode.Core.Status.StatusStore statuses, int attempts, string next)
    {
        await TestTimeouts.WaitUntilAsync(
            () => engine.Created == attempts && statuses.Get("hello")?.Message.Contains(next, StringComparison.Ordinal) == true,
            $"attempt {attempts} and '{next}' in the status");
        await TestTimeouts.AssertStaysAsync(() => engine.Created == attempts, Settle, $"one attempt per backoff step ({attempts} expected)");
    }
}
