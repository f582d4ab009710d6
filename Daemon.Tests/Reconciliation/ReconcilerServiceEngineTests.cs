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

    private (ReconcilerService Service, SpecDirectoryWatcher Specs, StatusStore Statuses) Service(string state)
    {
        var engine = _engine!;
        var options = new ReconcilerOptions
        {
            NodeName = _node,
            ExtraLabels = new Dictionary<string, string> { [TestEnvironment.RunLabel] = TestEnvironment.RunId },
            StopTimeout = TimeSpan.Zero,
            DrainTime = TimeSpan.Zero,
        };
        var reconciler = TestReconcilers.Create(engine, TimeProvider.System, state, secrets: TestReconcilers.Snapshots(state), registries: new RegistryStore(state), options: options);
        var specs = new SpecDirectoryWatcher(Path.Combine(_dir, "specs"), state, TimeProvider.System, NullLogger<SpecDirectoryWatcher>.Instance);
        var statuses = new StatusStore();
        var service = new ReconcilerService(specs, reconciler, new ReplicaObserver(engine, options), engine, statuses, options, TimeProvider.System, NullLogger<ReconcilerService>.Instance);
        return (service, specs, statuses);
    }
}
