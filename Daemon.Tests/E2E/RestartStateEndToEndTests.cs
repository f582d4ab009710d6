using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// State kept across a daemon restart. <c>ls -o wide</c>'s CHANGED (the latest of each replica's <c>history</c> and <c>stateChangedAt</c>) means the same before
/// and after a daemon restart: the last state of each replica is kept under the state dir. Before, a restart emptied the
/// history and the first look after it was recorded as a change, so CHANGED showed the restart. And a spec file broken
/// while the daemon was down, whose last good copy is damaged too: the status says there is nothing to fall back on.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class RestartStateEndToEndTests
{
    private GradientNodeProcess _node = null!;

    [SetUp]
    public async Task SetUp()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null!;
        }
    }

    [Test]
    public async Task Ls_DaemonRestartedWithNothingChanged_ChangedIsTheSameTimeAsBefore()
    {
        await _node.WriteSpecAsync("web.yaml", SpecYaml.V1("steady", replicas: 1));
        var before = await _node.WaitForStatusAsync("steady", s => s.State == DeploymentState.Ready, "Ready");
        var changed = Changed(before);

        await _node.StopAsync();
        await _node.StartAsync(extraArgs: []);
        var after = await _node.WaitForStatusAsync("steady", s => s.State == DeploymentState.Ready && s.ObservedAt > before.ObservedAt, "Ready again after the restart");

        Assert.Multiple(() =>
        {
            Assert.That(after.Replicas.Single().ContainerId, Is.EqualTo(before.Replicas.Single().ContainerId), "the same container, untouched");
            Assert.That(Changed(after), Is.EqualTo(changed), Describe(before) + "\n---\n" + Describe(after));
            Assert.That(after.Replicas.Single().History.LastOrDefault()?.State, Is.EqualTo("ready"));
        });
    }

    [Test]
    public async Task Up_SpecBrokenAndLastGoodCopyDamagedWhileTheDaemonWasDown_InvalidSayingSoReplicaLeftRunningNotServed()
    {
        await _node.WriteSpecAsync("web.yaml", SpecYaml.V1("fragile", replicas: 1));
        var before = await _node.WaitForStatusAsync("fragile", s => s.State == DeploymentState.Ready, "Ready");
        await _node.WaitForRouteAsync("fragile");

        await _node.StopAsync();
        await _node.WriteSpecAsync("web.yaml", SpecYaml.V1("fragile", replicas: 1) + "bogus: 1\n");
        await File.WriteAllTextAsync(Path.Combine(_node.StateDir, "last-good", "web.yaml"), "name: fragile\nimage: [cut");
        await _node.StartAsync(extraArgs: []);
        var after = await _node.WaitForStatusAsync("fragile", s => s.State == DeploymentState.Invalid && s.ObservedAt > before.ObservedAt && s.Replicas.Count == 1, "Invalid with its replica observed after the restart");
        await _node.WaitForRouteAsync("fragile", code => code == System.Net.HttpStatusCode.ServiceUnavailable); // not served: no spec, so no probe calls it ready

        Assert.Multiple(() =>
        {
            Assert.That(after.Message, Does.Match(@"^spec file has 1 error and its last good copy is damaged \(last-good/web\.yaml does not parse: line \d+, column \d+\): no last good version to keep serving; 1 replica of the version before left as they are \(not replaced, not restarted\) until it is fixed$"));
            Assert.That(after.Replicas.Single().ContainerId, Is.EqualTo(before.Replicas.Single().ContainerId), "left running");
            Assert.That(_node.Output, Does.Contain("[1105]").Or.Contain("its last good copy is damaged"), "warning 1105 in the log");
        });
    }

    /// <summary>What CHANGED is computed from (StatusPrinter): the latest history entry or container time of any replica.</summary>
    private static DateTimeOffset? Changed(DeploymentStatus status) =>
        status.Replicas.SelectMany(r => r.History).Select(e => (DateTimeOffset?)e.Timestamp)
            .Concat(status.Replicas.Select(r => r.StateChangedAt)).Max();

    private static string Describe(DeploymentStatus status) =>
        string.Join("\n", status.Replicas.SelectMany(r => r.History.Select(h => $"{h.Timestamp:O} {h.State} {h.Message}").Append($"stateChangedAt {r.StateChangedAt:O}")));
}
