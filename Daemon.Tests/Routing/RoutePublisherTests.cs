using GradientNode.Core.Catalog;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Registries;
using GradientNode.Core.Routing;
using GradientNode.Core.Secrets;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Routing;

[TestFixture]
[Category("Unit")]
internal sealed partial class RoutePublisherTests
{
    private const string Password = "s3cret-pw";
    private string _root = null!;
    private string _specs = null!;
    private string _state = null!;
    private SecretStore _secrets = null!;
    private FakeTimeProvider _clock = null!;
    private CollectingLogger<RoutePublisher> _log = null!;

    [SetUp]
    public void SetUp()
    {
        _root = Directory.CreateTempSubdirectory("gn-publisher-").FullName;
        _specs = Path.Combine(_root, "specs");
        _state = Path.Combine(_root, "state");
        Directory.CreateDirectory(_specs);
        Directory.CreateDirectory(_state);
        _secrets = new SecretStore(_state);
        _clock = new FakeTimeProvider();
        _log = new CollectingLogger<RoutePublisher>();
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public async Task Publish_ProtectedDeploymentDeletedWhileItsReplicasServe_KeepsItsProtection()
    {
        _secrets.Set("pw", "s3cret-pw"u8);
        var (publisher, store, statuses, specs) = await NewAsync(("locked.yaml", Spec("locked", "basicAuthKey: secret:pw")));
        statuses.Set("locked", Status("locked"));
        publisher.Publish();
        Assert.That(Route(store, "locked")?.ExpectedAuthorization, Is.EqualTo(BasicHeader(Password)));

        // The spec file goes while the worker is busy (a pull, a drain): the status still lists ready replicas.
        await specs.DeleteAsync("locked", CancellationToken.None);
        statuses.Set("locked", Status("locked") with { Message = "deployment removed" });
        publisher.Publish();

        var route = Route(store, "locked");
        Assert.That(route is null || route.ExpectedAuthorization == BasicHeader(Password), Is.True,
            "no catalog entry: no route, or the last known protection, never an open route");
    }

    [Test]
    public async Task Publish_H2cDeploymentsSpecFileAwayWhileItsReplicasServe_StillRoutedAsH2c()
    {
        // Before: the protocol came from the spec alone, so during the removal grace (the spec file away for a moment)
        // an h2c-only gRPC replica was sent HTTP/1.1 and every request failed.
        var (publisher, store, statuses, specs) = await NewAsync(("grpc.yaml", Spec("grpc", "protocol: h2c")));
        statuses.Set("grpc", Status("grpc"));
        publisher.Publish();
        Assert.That(Route(store, "grpc")?.H2c, Is.True);

        await specs.DeleteAsync("grpc", CancellationToken.None);
        statuses.Set("grpc", Status("grpc") with { Message = "spec removed: its replicas keep serving for 3 s more" });
        publisher.Publish();

        Assert.That(Route(store, "grpc")?.H2c, Is.True);
    }

    [Test]
    public async Task Publish_ReplicasWithoutCatalogEntryAndNoKnownProtection_PublishesNoRoute()
    {
        var (publisher, store, statuses, _) = await NewAsync();
        statuses.Set("orphan", Status("orphan"));

        publisher.Publish();

        Assert.That(store.LastGood.Deployments.Select(d => d.Slug), Does.Not.Contain("orphan"));
    }

    [Test]
    public async Task Publish_DaemonRestartedAfterDeletion_TakesTheProtectionFromTheTableWrittenBefore()
    {
        var (publisher, store, statuses, _) = await NewAsync();
        publisher.RememberPublished(new RouteTable(1, _clock.GetUtcNow(), [new DeploymentRoute("locked", "locked", true, [], "Basic old")]));
        statuses.Set("locked", Status("locked"));

        publisher.Publish();

        Assert.That(Route(store, "locked")?.ExpectedAuthorization, Is.EqualTo("Basic old"));
    }

    [Test]
    public async Task Publish_BasicAuthSecretMissing_PublishesAProtectedRouteNoPasswordOpens()
    {
        var (publisher, store, statuses, _) = await NewAsync(("locked.yaml", Spec("locked", "basicAuthKey: secret:absent")));
        statuses.Set("locked", Status("locked"));

        publisher.Publish();

        var authorization = Route(store, "locked")?.ExpectedAuthorization;
        Assert.That(authorization, Is.Not.Null.And.Not.EqualTo(BasicHeader(string.Empty)));
    }

    [Test]
    public async Task Publish_SecretRemovedUnderARunningDeployment_RouteFailsClosed()
    {
        _secrets.Set("pw", "s3cret-pw"u8);
        var (publisher, store, statuses, _) = await NewAsync(("locked.yaml", Spec("locked", "basicAuthKey: secret:pw")));
        statuses.Set("locked", Status("locked"));
        publisher.Publish();

        _secrets.Remove("pw");
        statuses.Set("locked", Status("locked") with { Message = "secret gone" });
        publisher.Publish();

        var authorization = Route(store, "locked")?.ExpectedAuthorization;
        Assert.That(authorization, Is.Not.Null.And.Not.EqualTo(BasicHeader(Password)), "the removed password no longer opens it");
    }

    [Test]
    public async Task Publish_DiskFull_KeepsLastRoutesReportsAndRecoversOnRetry()
    {
        var full = false;
        var (publisher, store, statuses, _) = await NewAsync(
            write: (path, bytes) =>
            {
                if (full)
                {
                    throw new IOException("No space left on device : '/run/gradient/routes.json'", 28);
                }

                File.WriteAllBytes(path, bytes);
            },
            files: ("hello.yaml", Spec("hello", string.Empty)));
        statuses.Set("hello", Status("hello"));
        publisher.Publish();
        var before = store.LastGood;

        full = true;
        statuses.Set("hello", Status("hello", replicas: 2));
        publisher.Publish();
        publisher.Publish();

        Assert.Multiple(() =>
        {
            Assert.That(store.LastGood, Is.SameAs(before), "the last routes stay");
            Assert.That(publisher.Warnings, Has.Count.EqualTo(1));
            Assert.That(publisher.Warnings[0], Does.Contain("No space left on device").And.Contain("routes.json"));
            Assert.That(publisher.NextAttempt, Is.EqualTo(TimeSpan.FromSeconds(2)), "backoff doubles from 1 s");
        });

        full = false;
        publisher.Publish();

        Assert.Multiple(() =>
        {
            Assert.That(Route(store, "hello")!.Replicas, Has.Count.EqualTo(2));
            Assert.That(publisher.Warnings, Is.Empty);
            Assert.That(publisher.NextAttempt, Is.EqualTo(TimeSpan.FromSeconds(5)));
        });
    }

    [Test]
    public async Task Publish_DiskFullNamingANewTempFileAtEachTry_LoggedOnceAndOnceWhenWrittenAgain()
    {
        // Before: the problem was known by its words, and a full disk's words name the temp file of each try, so the
        // warning was logged at every retry (every 30 s at most, for as long as the disk stayed full).
        var full = false;
        var (publisher, _, statuses, _) = await NewAsync(
            write: (path, bytes) =>
            {
                if (full)
                {
                    throw new IOException($"No space left on device : '/run/gradient/.routes.json.1.{Guid.NewGuid():N}.tmp'", 28);
                }

                File.WriteAllBytes(path, bytes);
            },
            files: ("hello.yaml", Spec("hello", string.Empty)));
        statuses.Set("hello", Status("hello"));
        publisher.Publish();

        full = true;
        for (var replicas = 2; replicas < 5; replicas++)
        {
            statuses.Set("hello", Status("hello", replicas));
            publisher.Publish();
        }

        full = false;
        publisher.Publish();

        Assert.That(_log.Events.Where(e => e.Id.Id is 1202 or 1203).Select(e => e.Id.Id), Is.EqualTo(new[] { 1202, 1203 }));
        Assert.That(_log.Events.Single(e => e.Id.Id == 1203).Message, Is.EqualTo("route table written again after 3 failed attempts"));
    }

    [Test]
    public async Task Publish_WriterThrowsUnauthorizedAccess_DoesNotThrow()
    {
        var (publisher, _, statuses, _) = await NewAsync(write: (_, _) => throw new UnauthorizedAccessException("Access to the path '/run/gradient/routes.json' is denied."));
        statuses.Set("hello", Status("hello"));

        Assert.That(publisher.Publish, Throws.Nothing);
        Assert.That(publisher.Warnings, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Publish_SecretSnapshotCannotBeWritten_DoesNotThrowAndStillProtects()
    {
        _secrets.Set("pw", "s3cret-pw"u8);
        var (publisher, store, statuses, _) = await NewAsync(("locked.yaml", Spec("locked", "basicAuthKey: secret:pw")));
        statuses.Set("locked", Status("locked"));

        // A real write failure: the snapshots directory is replaced by a regular file (ENOTDIR on every write).
        var snapshots = Path.Combine(_state, "snapshots");
        Directory.Delete(snapshots, recursive: true);
        File.WriteAllText(snapshots, "not a directory");

        Assert.That(publisher.Publish, Throws.Nothing);
        Assert.That(Route(store, "locked")?.ExpectedAuthorization, Is.EqualTo(BasicHeader(Password)));
    }

    private async Task<(RoutePublisher Publisher, RouteTableStore Store, StatusStore Statuses, SpecDirectoryWatcher Specs)> NewAsync(
        params (string Name, string Text)[] files) => await NewAsync(null, files);

    private async Task<(RoutePublisher Publisher, RouteTableStore Store, StatusStore Statuses, SpecDirectoryWatcher Specs)> NewAsync(
        Action<string, byte[]>? write, params (string Name, string Text)[] files)
    {
        foreach (var (name, text) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(_specs, name), text);
        }

        var specs = new SpecDirectoryWatcher(_specs, _state, _clock, NullLogger<SpecDirectoryWatcher>.Instance);
        await specs.ScanAsync(CancellationToken.None);
        var run = Path.Combine(_root, "run");
        var store = write is null ? new RouteTableStore(run) : new RouteTableStore(run, write);
        var statuses = new StatusStore();
        var authorization = new EndpointAuthorization(new SecretSnapshots(_secrets, _state), new VersionHasher(new RestartGenerations(_state)));
        var publisher = new RoutePublisher(store, statuses, specs, _clock, _log, authorization);
        return (publisher, store, statuses, specs);
    }

    private static DeploymentRoute? Route(RouteTableStore store, string slug) =>
        store.LastGood.Deployments.SingleOrDefault(d => d.Slug == slug);

    private static DeploymentStatus Status(string slug, int replicas = 1) => new()
    {
        Name = slug,
        Slug = slug,
        State = DeploymentState.Ready,
        Replicas = [.. Enumerable.Range(0, replicas).Select(i => new ReplicaStatus
        {
            Id = $"{slug}-{i}",
            Index = i,
            Container = $"gradient-{slug}-{i}-abc",
            ContainerId = $"c{i}{slug}",
            State = "running",
            Ready = true,
            Address = $"10.0.0.{i + 2}:8080",
            SpecHash = "h",
        })],
    };

    private static string Spec(string name, string extra) => $"""
        name: {name}
        image: nginx:1
        {extra}
        resources:
          machineType: C4
          ports: [8080]

        """;

    /// <summary>What a client sends for <paramref name="password"/>: <c>Basic base64("paperspace:&lt;password&gt;")</c>.</summary>
    private static string BasicHeader(string password) =>
        "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"paperspace:{password}"));
}
