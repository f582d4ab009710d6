using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.Scripts;

/// <summary>
/// scripts/lib.sh's <c>remove_stale_replica_rules</c> (test.sh's cleanup): it deletes exactly the node's replica rules
/// that name an interface no longer there, through a stand-in for iptables that prints a listing and records deletes.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class StaleReplicaRulesTests
{
    private const string Ours = "-m conntrack --ctstate NEW -m owner ! --uid-owner 0 -m comment --comment gradient-node-replicas -j REJECT";

    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("gn-stale-rules-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task RemoveStaleReplicaRules_Listing_DeletesTheNodesRulesOfGoneInterfacesOnly()
    {
        var deletes = await RunAsync(
            "-P OUTPUT ACCEPT",
            $"-A OUTPUT -o gn-gone0 {Ours} --reject-with icmp-port-unreachable",
            $"-A OUTPUT -o gn-gone1 {Ours}",
            $"-A OUTPUT -o lo {Ours} --reject-with icmp-port-unreachable",
            "-A OUTPUT -o gn-gone2 -m comment --comment gradient-node-replicas -j LOG --log-prefix gradient-node-replicas",
            $"-A OUTPUT -o gn-gone3 -p tcp {Ours}",
            $"-A FORWARD -o gn-gone4 {Ours}");

        Assert.That(deletes, Is.EqualTo(new[]
        {
            $"-w 10 -D OUTPUT -o gn-gone0 {Ours} --reject-with icmp-port-unreachable",
            $"-w 10 -D OUTPUT -o gn-gone1 {Ours}",
        }), "the loopback's rule stays (the interface exists), and so do the rules of other shapes");
    }

    [Test]
    public async Task RemoveStaleReplicaRules_NoRuleOfTheNodes_DeletesNothing() =>
        Assert.That(await RunAsync("-P OUTPUT ACCEPT", "-A OUTPUT -o gn-gone0 -j ACCEPT"), Is.Empty);

    private async Task<IReadOnlyList<string>> RunAsync(params string[] listing)
    {
        var listingFile = Path.Combine(_dir, "listing");
        var log = Path.Combine(_dir, "deletes");
        var tool = Path.Combine(_dir, "fake-iptables");
        await File.WriteAllLinesAsync(listingFile, listing);
        await File.WriteAllTextAsync(tool,
            $"#!/bin/bash\ncase \"$3\" in -S) cat '{listingFile}' ;; -D) echo \"$*\" >> '{log}' ;; esac\n");
        File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var (rc, output) = await ShellTool.RunAsync("bash", ["-c", $"source scripts/lib.sh && remove_stale_replica_rules {tool}"]);

        Assert.That(rc, Is.Zero, output);
        return File.Exists(log) ? await File.ReadAllLinesAsync(log) : [];
    }
}
