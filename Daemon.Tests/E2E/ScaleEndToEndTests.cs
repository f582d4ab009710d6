using GradientNode.Core.Engine;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>Many deployments at once through the published binary: they all converge through a small engine limit.</summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class ScaleEndToEndTests
{
    private const int Deployments = 20;
    private DockerEngine _engine = null!;
    private GradientNodeProcess _node = null!;

    [SetUp]
    public async Task SetUp()
    {
        _engine = await TestEnvironment.RequireEngineAsync();
        _node = GradientNodeProcess.Prepare();
        await _node.StartAsync(["--engine-concurrency", "2"]);
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null!;
        }

        _engine?.Dispose();
        _engine = null!;
    }

    [Test]
    public async Task Up_TwentySpecsDroppedAtOnceWithEngineConcurrencyTwo_AllReadyWithOneContainerEach()
    {
        // Written elsewhere, then renamed in one go: the watcher sees a burst of events, the engine a queue of 20 creates.
        var staging = Directory.CreateTempSubdirectory("gn-e2e-staging-").FullName;
        try
        {
            for (var i = 0; i < Deployments; i++)
            {
                await File.WriteAllTextAsync(Path.Combine(staging, $"many{i}.yaml"), SpecYaml.V1($"many{i}", replicas: 1));
            }

            foreach (var file in Directory.EnumerateFiles(staging))
            {
                File.Move(file, _node.SpecPath(Path.GetFileName(file)));
            }
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }

        var ready = new HashSet<string>(StringComparer.Ordinal);
        await TestTimeouts.WaitUntilAsync(
            async () =>
            {
                foreach (var name in Enumerable.Range(0, Deployments).Select(i => $"many{i}").Where(n => !ready.Contains(n)))
                {
                    if (await _node.StatusAsync(name) is { State: DeploymentState.Ready, ReadyReplicas: 1 })
                    {
                        ready.Add(name);
                    }
                }

                return ready.Count == Deployments;
            },
            TestTimeouts.Rollout,
            $"all {Deployments} deployments Ready");

        for (var i = 0; i < Deployments; i++)
        {
            Assert.That(await _node.ContainersAsync(_engine, $"many{i}"), Has.Count.EqualTo(1), $"many{i}");
        }
    }
}
