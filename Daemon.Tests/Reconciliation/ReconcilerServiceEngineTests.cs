using System.Text;
using GradientNode.Core.Catalog;
using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Registries;
using GradientNode.Core.Secrets;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary><see cref="ReconcilerService"/> against a real dockerd: what the user reads when the engine refuses a replica.</summary>
[TestFixture]
[Category("Engine")]
internal sealed class ReconcilerServiceEngineTests
{
    /// <summary>A secret value runc refuses (a NUL byte) and echoes, quoted, in the engine's answer.</summary>
    private const string NulSecret = "s3cr3t-head\0tail-value";

    private DockerEngine? _engine;
    private string _dir = string.Empty;
    private string _node = string.Empty;

    [SetUp]
    public async Task SetUp()
    {
        _engine = await TestEnvironment.RequireEngineAsync();
        _dir = Directory.CreateTempSubdirectory("gn-recsvc-engine-").FullName;
        Directory.CreateDirectory(Path.Combine(_dir, "specs"));
        Directory.CreateDirectory(Path.Combine(_dir, "state"));
        _node = $"gn-test-{TestEnvironment.RunId}-{Guid.NewGuid().ToString("N")[..8]}";
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_engine is not null)
        {
            using var cts = new CancellationTokenSource(TestTimeouts.Container);
            foreach (var container in await _engine.ListContainersAsync([$"{ContainerLabels.Node}={_node}"], cts.Token))
            {
                await _engine.RemoveContainerAsync(container.Id, force: true, cts.Token);
            }

            _engine.Dispose();
        }

        // SetUp may have stopped (no engine: ignored) before the folder was made.
        if (_dir.Length > 0)
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Test]
    public async Task ExecuteAsync_EngineRefusesStartOfASecretsEnv_StatusNamesTheRefusalAndHttpCodeWithoutTheSecretAndAFixedSpecRuns()
    {
        var state = Path.Combine(_dir, "state");
        var secrets = new SecretStore(state);
        secrets.Set("token", Encoding.UTF8.GetBytes(NulSecret));
        secrets.Set("clean", "fine-value"u8);
        WriteSpec("secret:token");
        var (service, specs, statuses) = Service(state);
        using var stop = new CancellationTokenSource();
        await service.StartAsync(stop.Token);
        try
        {
            // dockerd creates the container, then answers its start with HTTP 500: runc refuses an env value with a NUL
            // byte and quotes the whole TOKEN=VALUE (%q) in its error.
            await TestTimeouts.WaitUntilAsync(
                () => Task.FromResult(statuses.Get("refused")?.Message.Contains("the Docker engine refused", StringComparison.Ordinal) == true),
                TestTimeouts.Container,
                () => $"the engine's refusal in the status (now: '{statuses.Get("refused")?.Message}')");
            var failed = statuses.Get("refused")!;
            Assert.Multiple(() =>
            {
                Assert.That(failed.State, Is.EqualTo(DeploymentState.Failed));
                Assert.That(failed.Message, Does.StartWith("replica 0 could not be started: the Docker engine refused start container "));
                Assert.That(failed.Message, Does.Contain("(HTTP 500)"));
                Assert.That(failed.Message, Does.Contain("TOKEN=***"), "the engine's words stay, the value is hidden");
                Assert.That(failed.Message, Does.Not.Contain("s3cr3t-head").And.Not.Contain("tail-value"));
                Assert.That(failed.Message, Does.Match(@"attempt \d+ failed, next attempt in \d+s"));
                Assert.That(failed.Message, Does.Not.Contain("cannot reach"));
            });

            // The loop is not stuck in the start backoff: a new version of the spec is tried at once and runs.
            WriteSpec("secret:clean");
            await specs.ScanAsync(stop.Token);
            service.Enqueue("refused");
            await TestTimeouts.WaitUntilAsync(
                () => Task.FromResult(statuses.Get("refused") is { State: DeploymentState.Ready, ReadyReplicas: 1 }),
                TestTimeouts.Container,
                () => $"Ready after the secret is replaced (now: {statuses.Get("refused")?.State} '{statuses.Get("refused")?.Message}')");
        }
        finally
        {
            await stop.CancelAsync();
            await service.StopAsync(CancellationToken.None);
        }
    }

    [Test]
    public async Task ExecuteAsync_SpecFileAwayPastTheSettleThenBack_TheSameReplicaServesThroughoutAndAnExplicitDeleteIsAtOnce()
    {
        // newuser5's F11: a spec file away for longer than the watcher's settle (a checkout, mv then ln -s) read "removed",
        // and the replicas were stopped and started again although the file came back a second later.
        WriteSpec("plain");
        var (service, specs, statuses) = Service(Path.Combine(_dir, "state"), new ReconcilerOptions { RemovalGrace = TimeSpan.FromMinutes(5) });
        using var stop = new CancellationTokenSource();
        await service.StartAsync(stop.Token);
        try
        {
            var container = await ReadyContainerAsync(statuses);
            File.Move(SpecPath, Path.Combine(_dir, "aside.yaml"));
            await specs.ScanAsync(stop.Token);
            await TestTimeouts.WaitUntilAsync(
                () => Task.FromResult(statuses.Get("refused")?.Message.StartsWith("spec removed: its replicas keep serving for ", StringComparison.Ordinal) == true),
                TestTimeouts.Short,
                () => $"the removal held (now: '{statuses.Get("refused")?.Message}')");
            var held = statuses.Get("refused")!;
            Assert.Multiple(() =>
            {
                Assert.That(held.Enabled, Is.True, "still routed");
                Assert.That(held.Replicas.Select(r => (r.ContainerId, r.Ready)), Is.EqualTo(new[] { (container, true) }), "still ready, not draining");
                Assert.That((held.DesiredReplicas, held.ReadyReplicas), Is.EqualTo((1, 1)), "the replica it keeps meanwhile, not 0 desired and 0 ready");
            });

            File.Move(Path.Combine(_dir, "aside.yaml"), SpecPath);
            await specs.ScanAsync(stop.Token);
            Assert.That(await ReadyContainerAsync(statuses), Is.EqualTo(container), "the same replica serves on");
            Assert.That(await ContainersAsync(), Is.EqualTo(new[] { container }), "nothing stopped, nothing started");

            // gradient-node delete (the API) is meant: no grace.
            await specs.DeleteAsync("refused", stop.Token);
            await TestTimeouts.WaitUntilAsync(async () => (await ContainersAsync()).Count == 0, TestTimeouts.Container, "the replica removed at once");
        }
        finally
        {
            await stop.CancelAsync();
            await service.StopAsync(CancellationToken.None);
        }
    }

    [Test]
    public async Task ExecuteAsync_SpecBackWhileItsRemovalDrains_RemovalCalledOffAndTheReplicaKept()
    {
        WriteSpec("plain");
        var (service, specs, statuses) = Service(Path.Combine(_dir, "state"), new ReconcilerOptions { RemovalGrace = TimeSpan.Zero, DrainTime = TimeSpan.FromMinutes(5) });
        using var stop = new CancellationTokenSource();
        await service.StartAsync(stop.Token);
        try
        {
            var container = await ReadyContainerAsync(statuses);
            File.Move(SpecPath, Path.Combine(_dir, "aside.yaml"));
            await specs.ScanAsync(stop.Token);
            await TestTimeouts.WaitUntilAsync(
                () => Task.FromResult(statuses.Get("refused")?.Replicas.Any(r => r.StateMessage == StatusBuilder.Draining) == true),
                TestTimeouts.Short,
                () => $"the replica draining (now: '{statuses.Get("refused")?.Message}')");

            File.Move(Path.Combine(_dir, "aside.yaml"), SpecPath);
            await specs.ScanAsync(stop.Token);

            // Well before the five minutes of drain: the removal was called off, not waited out.
            Assert.That(await ReadyContainerAsync(statuses, TestTimeouts.Short), Is.EqualTo(container));
            Assert.That(await ContainersAsync(), Is.EqualTo(new[] { container }));
        }
        finally
        {
            await stop.CancelAsync();
            await service.StopAsync(CancellationToken.None);
        }
    }

    private string SpecPath => Path.Combine(_dir, "specs", "refused.yaml");

    private static async Task<string> ReadyContainerAsync(StatusStore statuses, TimeSpan? within = null)
    {
        await TestTimeouts.WaitUntilAsync(
            () => Task.FromResult(statuses.Get("refused") is { State: DeploymentState.Ready, ReadyReplicas: 1, Enabled: true }),
            within ?? TestTimeouts.Container,
            () => $"Ready (now: {statuses.Get("refused")?.State} '{statuses.Get("refused")?.Message}')");
        return statuses.Get("refused")!.Replicas.Single().ContainerId;
    }

    private async Task<List<string>> ContainersAsync()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Short);
        return [.. (await _engine!.ListContainersAsync([$"{ContainerLabels.Node}={_node}"], cts.Token)).Select(c => c.Id)];
    }

    private void WriteSpec(string token) =>
        File.WriteAllText(Path.Combine(_dir, "specs", "refused.yaml"), $"""
            apiVersion: v1
            name: refused
            image: {TestEnvironment.WebImage}
            env:
              - name: TOKEN
                value: {token}
            resources:
              machineType: C4
              ports: [8080]
              replicas: 1
            """);

    private (ReconcilerService Service, SpecDirectoryWatcher Specs, StatusStore Statuses) Service(string state, ReconcilerOptions? with = null)
    {
        var engine = _engine!;
        var options = (with ?? new ReconcilerOptions { DrainTime = TimeSpan.Zero }) with
        {
            NodeName = _node,
            ExtraLabels = new Dictionary<string, string> { [TestEnvironment.RunLabel] = TestEnvironment.RunId },
            StopTimeout = TimeSpan.Zero,
        };
        var reconciler = TestReconcilers.Create(engine, TimeProvider.System, state, secrets: TestReconcilers.Snapshots(state), registries: new RegistryStore(state), options: options);
        var specs = new SpecDirectoryWatcher(Path.Combine(_dir, "specs"), state, TimeProvider.System, NullLogger<SpecDirectoryWatcher>.Instance);
        var statuses = new StatusStore();
        var service = new ReconcilerService(specs, reconciler, new ReplicaObserver(engine, options), engine, statuses, options, TimeProvider.System, NullLogger<ReconcilerService>.Instance);
        return (service, specs, statuses);
    }
}
