using System.Net;
using System.Net.Sockets;
using Docker.DotNet;
using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>What the status says when the engine fails a pass: unreachable (kept, retried soon) or an answer it refused.</summary>
internal sealed partial class ReconcilerServiceTests
{
    private static IEnumerable<TestCaseData> EngineFaults()
    {
        yield return new TestCaseData(new EngineUnavailableException("Docker engine at unix:///x is unreachable: Connection refused"), "cannot reach the Docker engine: Docker engine at unix:///x is unreachable: Connection refused")
            .SetName("ExecuteAsync_ListFailsEngineUnavailable_StatusKeptCannotReachTheEngine");
        yield return new TestCaseData(new HttpRequestException("Connection refused"), "cannot reach the Docker engine: Connection refused")
            .SetName("ExecuteAsync_ListFailsHttpRequestException_StatusKeptCannotReachTheEngine");
        yield return new TestCaseData(new IOException("The response ended prematurely."), "cannot reach the Docker engine: The response ended prematurely.")
            .SetName("ExecuteAsync_ListFailsIOException_StatusKeptCannotReachTheEngine");
        yield return new TestCaseData(new SocketException((int)SocketError.ConnectionRefused), "cannot reach the Docker engine: Connection refused")
            .SetName("ExecuteAsync_ListFailsSocketException_StatusKeptCannotReachTheEngine");
        yield return new TestCaseData(new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.", new TimeoutException()), "cannot reach the Docker engine: The request was canceled")
            .SetName("ExecuteAsync_ListTimesOut_StatusKeptCannotReachTheEngine");
        yield return new TestCaseData(
                DockerErrors.Translate(new DockerApiException(HttpStatusCode.InternalServerError, """{"message":"layer does not exist"}"""), "list containers", "unix:///x"),
                "the Docker engine refused list containers (HTTP 500): layer does not exist; retrying in 2s (attempt 1)")
            .SetName("ExecuteAsync_ListAnswered500_StatusKeptEngineRefusedListContainers");
        yield return new TestCaseData(
                DockerErrors.Translate(new DockerApiException(HttpStatusCode.BadRequest, """{"message":"invalid filter 'label'"}"""), "list containers", "unix:///x"),
                "the Docker engine refused list containers (HTTP 400): invalid filter 'label'; retrying in 2s (attempt 1)")
            .SetName("ExecuteAsync_ListAnswered400_StatusKeptEngineRefusedListContainers");
    }

    [TestCaseSource(nameof(EngineFaults))]
    public async Task ExecuteAsync_ListFails_StatusKeptWithTheEnginesWords(Exception fault, string expected)
    {
        await AfterAGoodPassAsync(async (engine, clock, service, statuses, good) =>
        {

            engine.ListFault = fault;
            service.Enqueue("hello");

            // The engine's words and the retry, whichever attempt the loop is at when the test looks: another trigger of the
            // loop (a recheck, the resync) may fail once more before the test polls, and then the message says "attempt 2".
            var words = expected[..(expected.IndexOf("; retrying in ", StringComparison.Ordinal) + "; retrying in ".Length)];
            await TestTimeouts.WaitUntilAsync(
                () => Task.FromResult(statuses.Get("hello")?.Message.StartsWith(words, StringComparison.Ordinal) == true),
                TestTimeouts.Condition,
                () => $"the message '{words}…' (last: '{statuses.Get("hello")?.Message}')");

            var kept = statuses.Get("hello")!;
            Assert.Multiple(() =>
            {
                Assert.That(kept.State, Is.EqualTo(good.State), "the last status is kept: what runs keeps running");
                Assert.That(kept.Replicas, Is.EqualTo(good.Replicas));
            });

            engine.ListFault = null;
            await TestTimeouts.WaitUntilAsync(
                () =>
                {
                    clock.Advance(TimeSpan.FromSeconds(1)); // the retry waits on the fake clock
                    return statuses.Get("hello")?.Message.Contains("Docker engine", StringComparison.Ordinal) == false;
                },
                "the loop to go on once the engine answers again");
        });
    }

    [Test]
    public async Task ExecuteAsync_EngineUnreachableFromTheStart_NoStatusButAWaitingReason()
    {
        var clock = new FakeTimeProvider();
        var engine = new ScriptedPullEngine { ListFault = new EngineUnavailableException("Docker engine at unix:///x is unreachable: no socket file there") { Host = "unix:///x", Reason = "no socket file there" } };
        engine.AddImage(Image);
        var (service, statuses) = Service(engine, clock);
        await WhileRunningAsync(service, async () =>
        {
            await TestTimeouts.WaitUntilAsync(() => statuses.WaitingReason("hello") is not null, "a waiting reason");

            Assert.Multiple(() =>
            {
                Assert.That(statuses.WaitingReason("hello"), Is.EqualTo("cannot reach the Docker engine at unix:///x: no socket file there"));
                Assert.That(statuses.Get("hello"), Is.Null, "nothing was observed: no status, so the routes written before stay");
            });
        });
    }

    [Test]
    public async Task ExecuteAsync_EngineUnreachableAfterAGoodPass_MessageSaysTheReplicasAreAsLastSeenAndWhen()
    {
        await AfterAGoodPassAsync(async (engine, clock, service, statuses, good) =>
        {

            engine.ListFault = new EngineUnavailableException("Docker engine at unix:///x is unreachable: no socket file there")
            {
                Host = "unix:///x",
                Reason = "no socket file there",
            };
            clock.Advance(TimeSpan.FromMinutes(3));
            service.Enqueue("hello");
            await TestTimeouts.WaitUntilAsync(
                () => Task.FromResult(statuses.Get("hello")?.Message.StartsWith("cannot reach", StringComparison.Ordinal) == true),
                TestTimeouts.Condition,
                () => $"the outage in the message (last: '{statuses.Get("hello")?.Message}')");

            var kept = statuses.Get("hello")!;
            var seen = good.ObservedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + "Z";
            Assert.Multiple(() =>
            {
                Assert.That(kept.Message, Is.EqualTo(
                    "cannot reach the Docker engine at unix:///x: no socket file there; replicas and readiness as last seen at " + seen
                    + ", unknown since (dockerd stops them with itself unless live-restore is on)"));
                Assert.That(kept.ObservedAt, Is.EqualTo(good.ObservedAt), "when the engine last answered, not the failed retry");
                Assert.That(kept.Replicas, Is.EqualTo(good.Replicas), "the counts stay: the last known");
                Assert.That((good.EngineUnreachable, kept.EngineUnreachable), Is.EqualTo((false, true)), "the API folds the proxy's news into such a status (RotationOverlay)");
            });
        });
    }

    /// <summary>
    /// Starts the service on an engine that has the image, runs <paramref name="test"/> once a first pass created the
    /// replica and wrote its status (given as the last argument), then stops the service.
    /// </summary>
    private async Task AfterAGoodPassAsync(Func<ScriptedPullEngine, FakeTimeProvider, ReconcilerService, StatusStore, DeploymentStatus, Task> test)
    {
        var clock = new FakeTimeProvider();
        var engine = new ScriptedPullEngine();
        engine.AddImage(Image);
        var (service, statuses) = Service(engine, clock);
        await WhileRunningAsync(service, async () =>
        {
            await service.FirstPass.WaitAsync(TestTimeouts.Short);
            await TestTimeouts.WaitUntilAsync(() => engine.Created > 0 && statuses.Get("hello") is not null, "a first good pass");
            await test(engine, clock, service, statuses, statuses.Get("hello")!);
        });
    }
}
