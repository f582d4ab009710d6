using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>An engine outage is logged once when it starts and once when it ends, not per deployment every 2 s.</summary>
internal sealed partial class ReconcilerServiceTests
{
    [Test]
    public async Task ExecuteAsync_EngineUnreachableForManyRetries_LogsTheOutageOnceAndItsEndOnce()
    {
        var clock = new FakeTimeProvider();
        var engine = new ScriptedPullEngine();
        engine.AddImage(Image);
        var logger = new CollectingLogger<ReconcilerService>();
        var (service, statuses) = Service(engine, clock, logger);
        await WhileRunningAsync(service, async () =>
        {
            await service.FirstPass.WaitAsync(TestTimeouts.Short);
            await TestTimeouts.WaitUntilAsync(() => engine.Created > 0 && statuses.Get("hello") is not null, "a first good pass");

            engine.ListFault = new EngineUnavailableException("Docker engine at unix:///x is unreachable: Invalid chunk header encountered: ''.");
            service.Enqueue("hello");
            var failures = 0;
            await TestTimeouts.WaitUntilAsync(
                () =>
                {
                    clock.Advance(TimeSpan.FromSeconds(1)); // retries every 2 s on the fake clock
                    failures = logger.Events.Count(e => e.Id.Id == 1023);
                    return failures >= 10;
                },
                "ten failed retries");

            Assert.Multiple(() =>
            {
                Assert.That(logger.Events.Count(e => e.Id.Id == 1024), Is.EqualTo(1), "the outage, once");
                // Before: "…encountered: ''.. Replicas keep running", which is untrue where dockerd runs without live-restore.
                Assert.That(logger.Events.Single(e => e.Id.Id == 1024).Message, Does.Contain("encountered: ''. The proxy keeps its routes").And.Contain("unless live-restore is on").And.Not.Contain(".."));
                Assert.That(logger.Events.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning).Select(e => e.Message), Has.Exactly(1).Items, "nothing else at warning level");
                Assert.That(statuses.Get("hello")!.Message, Does.StartWith("cannot reach the Docker engine: "), "the status says it at every retry");
            });

            engine.ListFault = null;
            await TestTimeouts.WaitUntilAsync(
                () =>
                {
                    clock.Advance(TimeSpan.FromSeconds(1));
                    return logger.Events.Any(e => e.Id.Id == 1025);
                },
                "the end of the outage");
            Assert.That(logger.Events.Count(e => e.Id.Id == 1025), Is.EqualTo(1));
        });
    }
}
