using GradientNode.Daemon.Configuration;
using GradientNode.Daemon.Hosting;
using NUnit.Framework;

namespace GradientNode.Tests.Hosting;

[TestFixture]
[Category("Unit")]
public sealed class ReloadStateTests
{
    [Test]
    public void Take_ASettingThatNeedsARestartReloadedTwice_NamedAtBothReloadsAndListedUntilItIsBack()
    {
        // newuser8: the reload after the one that logged "needs a restart" compared with that file and said nothing.
        var started = new NodeOptions { Domain = "a.example" };
        var state = new ReloadState(started);
        var changed = started with { Domain = "b.example" };

        var first = state.Take(changed);
        var second = state.Take(changed);
        var pending = state.Warnings;
        var back = state.Take(started);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(new[] { "domain" }));
            Assert.That(second, Is.EqualTo(new[] { "domain" }), "still not in effect: said again");
            Assert.That(pending.Single(), Does.StartWith("node.yaml changes domain since the node started; it takes effect at a restart"));
            Assert.That(back, Is.Empty);
            Assert.That(state.Warnings, Is.Empty);
            Assert.That(state.Running.Domain, Is.EqualTo("a.example"));
        });
    }

    [Test]
    public void Take_SocketMovedThenGroupChanged_TheGroupAppliesToTheSocketThatIsServed()
    {
        var started = new NodeOptions { SocketPath = "/run/gradient/gradient.sock", SocketGroup = "gradient" };
        var state = new ReloadState(started);

        state.Take(started with { SocketPath = "/tmp/elsewhere.sock" });
        var differences = state.Take(started with { SocketPath = "/tmp/elsewhere.sock", SocketGroup = "ops" });

        Assert.Multiple(() =>
        {
            Assert.That(differences, Is.EquivalentTo(new[] { "socket", "socketGroup" }));
            Assert.That(state.Running.Socket, Is.EqualTo("/run/gradient/gradient.sock"), "the socket served until a restart");
            Assert.That(state.Running.SocketGroup, Is.EqualTo("ops"), "the group applies live");
            Assert.That(state.Take(started with { SocketPath = "/tmp/elsewhere.sock", SocketGroup = "ops" }), Is.EqualTo(new[] { "socket" }));
        });
    }

    [Test]
    public void Reject_BrokenNodeYaml_ListedUntilAReloadTakesOne()
    {
        var started = new NodeOptions();
        var state = new ReloadState(started);

        state.Reject("/etc/gradient/node.yaml:3:1: unknown key 'lisen'");
        var rejected = state.Warnings;
        state.Take(started);

        Assert.That(rejected.Single(), Does.Contain("the last reload did not take node.yaml").And.Contain("node.yaml:3:1: unknown key 'lisen'").And.EndWith("the running settings are kept"));
        Assert.That(state.Warnings, Is.Empty);
    }

    [Test]
    public void Warnings_PendingRestartAndRejectedNodeYaml_ShownInApiMdAsTheNodeEndpointGivesThem()
    {
        // Before, api.md's node warnings paragraph did not name these two, though systemd.md and cli.md said node lists them.
        var started = new NodeOptions { Domain = "a.example" };
        var state = new ReloadState(started);
        state.Take(started with { Domain = "b.example", PidsLimit = 100 });
        state.Reject("/etc/gradient/node.yaml:3:1: unknown key 'lisen'");
        var api = File.ReadAllText(Path.Combine(Install.ShellTool.RepoRoot(), "docs", "reference", "api.md"));

        Assert.That(state.Warnings, Has.Count.EqualTo(2));
        Assert.That(state.Warnings.Where(w => !api.Contains($"\"{w}\"", StringComparison.Ordinal)), Is.Empty, "each as a JSON string in api.md");
    }
}
