using System.Net;
using Docker.DotNet;
using GradientNode.Core.Catalog;
using GradientNode.Core.Common;
using GradientNode.Core.Engine;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>Replicas the engine refuses to create are tried once per backoff step, whatever triggers the passes between.</summary>
internal sealed partial class DeploymentReconcilerTests
{
    private const string Refusal = "replica 0 could not be started: the Docker engine refused create container 'hello-0' (HTTP 400): unknown or invalid runtime name: nvidia";

    [Test]
    public async Task ReconcileAsync_CreateRefused_OneAttemptPerBackoffStepWithTheNextInTheStatus()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        var engine = RefusingEngine();
        var reconciler = Reconciler(engine, clock, new ReplicaJournal(), withSecrets: false);

        var first = await reconciler.ReconcileAsync("hello", Entry(), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(7));
        var between = await reconciler.ReconcileAsync("hello", Entry(), CancellationToken.None); // a resync or an event
        var attemptsBetween = engine.Created;
        clock.Advance(TimeSpan.FromSeconds(8));
        var second = await reconciler.ReconcileAsync("hello", Entry(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first.Status?.State, Is.EqualTo(DeploymentState.Failed));
            Assert.That(first.Status?.Message, Is.EqualTo($"{Refusal}; attempt 1 failed, next attempt in 15s (at 12:00:15 UTC)"));
            Assert.That(first.RecheckAfter, Is.EqualTo(TimeSpan.FromSeconds(15)));
            Assert.That(attemptsBetween, Is.EqualTo(1), "the pass between attempts only observes");
            Assert.That(between.Status?.Message, Is.EqualTo($"{Refusal}; attempt 1 failed, next attempt in 8s (at 12:00:15 UTC)"));
            Assert.That(between.RecheckAfter, Is.EqualTo(TimeSpan.FromSeconds(8)), "its recheck is the next attempt, not one more");
            Assert.That(engine.Created, Is.EqualTo(2));
            Assert.That(second.Status?.Message, Is.EqualTo($"{Refusal}; attempt 2 failed, next attempt in 30s (at 12:00:45 UTC)"));
            Assert.That(second.RecheckAfter, Is.EqualTo(TimeSpan.FromSeconds(30)));
        });
    }

    [Test]
    public async Task ReconcileAsync_CreateRefusedThenSpecChanged_TriesTheNewVersionAtOnce()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        var engine = RefusingEngine();
        var reconciler = Reconciler(engine, clock, new ReplicaJournal(), withSecrets: false);
        await reconciler.ReconcileAsync("hello", Entry(), CancellationToken.None);
        await reconciler.ReconcileAsync("hello", Entry(), CancellationToken.None);

        var changed = await reconciler.ReconcileAsync("hello", Entry("hi"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(engine.Created, Is.EqualTo(2), "the edited spec was tried at once");
            Assert.That(changed.Status?.Message, Does.EndWith("attempt 1 failed, next attempt in 15s (at 12:00:15 UTC)"));
        });
    }

    [Test]
    public async Task ReconcileAsync_CreateRefusedThenOnlyHealthChecksChanged_TriesAtOnceAsForAnImageChange()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        var engine = RefusingEngine();
        var reconciler = Reconciler(engine, clock, new ReplicaJournal(), withSecrets: false);
        await reconciler.ReconcileAsync("hello", Entry("hi", readinessPath: "/ready"), CancellationToken.None);
        await reconciler.ReconcileAsync("hello", Entry("hi", readinessPath: "/ready"), CancellationToken.None);

        var changed = await reconciler.ReconcileAsync("hello", Entry("hi", readinessPath: "/healthz"), CancellationToken.None);

        // Before: the probes are not in the spec hash, so the edit waited out the 15 s the refusal had set.
        Assert.Multiple(() =>
        {
            Assert.That(engine.Created, Is.EqualTo(2), "the edited probes were tried at once");
            Assert.That(changed.Status?.Message, Does.EndWith("attempt 1 failed, next attempt in 15s (at 12:00:15 UTC)"));
        });
    }

    [Test]
    public async Task ReconcileAsync_CreateRefusedThenWallClockStepsBackAnHour_NextAttemptStillAfter15s()
    {
        var clock = new SteppingTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        var engine = RefusingEngine();
        var reconciler = Reconciler(engine, clock, new ReplicaJournal(), withSecrets: false);
        await reconciler.ReconcileAsync("hello", Entry(), CancellationToken.None);

        clock.Step(TimeSpan.FromHours(-1)); // NTP steps the wall clock back
        clock.Advance(TimeSpan.FromSeconds(7));
        var between = await reconciler.ReconcileAsync("hello", Entry(), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(8));
        await reconciler.ReconcileAsync("hello", Entry(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(between.Status?.Message, Is.EqualTo($"{Refusal}; attempt 1 failed, next attempt in 8s (at 11:00:15 UTC)"), "the time of day on the wall clock now");
            Assert.That(between.RecheckAfter, Is.EqualTo(TimeSpan.FromSeconds(8)), "before: an hour and 8 s");
            Assert.That(engine.Created, Is.EqualTo(2), "the second attempt ran 15 s after the first, not an hour later");
        });
    }

    private static ScriptedPullEngine RefusingEngine()
    {
        var engine = new ScriptedPullEngine
        {
            CreateFault = DockerErrors.Translate(
                new DockerApiException(HttpStatusCode.BadRequest, """{"message":"unknown or invalid runtime name: nvidia"}"""),
                "create container 'hello-0'",
                "unix:///x",
                image: Image),
        };
        engine.AddImage(Image);
        return engine;
    }

    private static CatalogEntry Entry(string greeting, string? readinessPath = null)
    {
        var probes = readinessPath is null ? string.Empty : $"""

            healthChecks:
              readiness:
                path: {readinessPath}
            """;
        var spec = SpecParser.Parse("/specs/hello.yaml", $"""
            name: hello
            image: {Image}
            env:
              - name: GREETING
                value: {greeting}
            resources:
              machineType: C4
              ports: [8080]
              replicas: 1
            """ + probes).Spec!;
        return new CatalogEntry(spec.Slug, spec.Name, "/specs/hello.yaml", spec, EquatableArray<SpecError>.Empty, EquatableArray<string>.Empty);
    }
}
