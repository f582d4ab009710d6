using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary><see cref="EngineEchoes"/> against the events a real dockerd sends: they carry the container's name.</summary>
[TestFixture]
[Category("Engine")]
internal sealed class EngineEchoesEngineTests
{
    private const string CaseLabel = "gradient.test-case";
    private DockerEngine? _engine;
    private string? _id;

    [SetUp]
    public async Task SetUp() => _engine = await TestEnvironment.RequireEngineAsync();

    [TearDown]
    public async Task TearDown()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Container);
        if (_engine is not null && _id is not null)
        {
            await _engine.RemoveContainerAsync(_id, force: true, cts.Token);
        }

        _engine?.Dispose();
    }

    [Test]
    public async Task NeedsReconcile_RealEventsOfOwnCreateStartAndAnExec_OnlyTheDieNeedsAReconcile()
    {
        var engine = _engine!;
        using var cts = new CancellationTokenSource(TestTimeouts.Container);
        var testCase = Guid.NewGuid().ToString("N")[..12];
        var name = $"gn-echoes-{TestEnvironment.RunId}-{testCase}";
        var echoes = new EngineEchoes(TimeProvider.System);
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        echoes.Expect(name, "create");
        echoes.Expect(name, "start");
        _id = await engine.CreateContainerAsync(
            new ContainerCreateRequest
            {
                Name = name,
                Image = TestEnvironment.WebImage,
                Entrypoint = ["/bin/sh", "-c", "exec sleep 300"],
                Labels = new Dictionary<string, string> { [TestEnvironment.RunLabel] = TestEnvironment.RunId, [CaseLabel] = testCase },
            },
            cts.Token);
        await engine.StartContainerAsync(_id, cts.Token);
        await engine.ExecAsync(_id, ["true"], TestTimeouts.Short, cts.Token);
        await engine.StopContainerAsync(_id, TimeSpan.Zero, cts.Token);

        var seen = new List<(string Action, bool Reconcile)>();
        await foreach (var e in engine.WatchEventsAsync([$"{CaseLabel}={testCase}"], since, cts.Token))
        {
            seen.Add((e.Action.Split(':')[0], echoes.NeedsReconcile(e)));
            if (e.Action == "die")
            {
                break;
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(seen, Does.Contain(("create", false)).And.Contain(("start", false)).And.Contain(("exec_start", false)));
            Assert.That(seen, Does.Contain(("die", true)));
            Assert.That(seen.Where(s => s.Reconcile).Select(s => s.Action).Distinct(), Is.SubsetOf(new[] { "kill", "die" }), "a stop is a kill (TERM, then KILL) and a die");
            Assert.That(echoes.Pending, Is.Zero);
        });
    }
}
