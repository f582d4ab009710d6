using GradientNode.Core.Common;
using GradientNode.Core.Networking;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Networking;

/// <summary>The firewall's decisions with a scripted <c>iptables</c>; the real tool is used by <c>ReplicaIsolationTests</c>.</summary>
[TestFixture]
[Category("Unit")]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
internal sealed class IptablesFirewallTests
{
    private readonly List<string> _calls = [];
    private readonly Dictionary<string, CommandResult> _answers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _interfaces = new(StringComparer.Ordinal) { "br-live" };
    private readonly string _lock = Path.Combine(Path.GetTempPath(), $"gn-firewall-test-{Guid.NewGuid():N}.lock");
    private string _listing = "-P OUTPUT ACCEPT\n";

    [TearDown]
    public void TearDown() => File.Delete(_lock);

    [Test]
    public async Task ProtectAsync_RuleAlreadyThere_NothingInserted()
    {
        _answers["-C"] = new CommandResult(0, "", "");

        var failure = await Firewall().ProtectAsync("br-live", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.Null);
            Assert.That(_calls.Where(c => c.Contains(" -I ", StringComparison.Ordinal)), Is.Empty);
            Assert.That(_calls.Count(c => c.Contains(" -C OUTPUT -o br-live ", StringComparison.Ordinal)), Is.EqualTo(2), "iptables and ip6tables");
        });
    }

    [Test]
    public async Task ProtectAsync_RuleMissing_InsertedForBothTools()
    {
        var failure = await Firewall().ProtectAsync("br-live", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.Null);
            Assert.That(_calls.Where(c => c.Contains(" -I OUTPUT 1 -o br-live ", StringComparison.Ordinal)).Select(c => c.Split(' ')[0]),
                Is.EqualTo(new[] { "/usr/sbin/iptables", "/usr/sbin/ip6tables" }));
        });
    }

    [Test]
    public async Task ProtectAsync_ToolRefusesTheRule_FailureNamesTheToolAndItsFirstLine()
    {
        _answers["-I"] = new CommandResult(4, "", "iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)\nmore\n");

        var failure = await Firewall().ProtectAsync("br-live", CancellationToken.None);

        Assert.That(failure, Does.StartWith("iptables refused the rule for br-live: iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)")
            .And.Not.Contain("more"));
    }

    [Test]
    public async Task ProtectAsync_ToolsNotInstalled_SaysSoWithoutRunningAnything()
    {
        var failure = await Firewall(find: _ => null).ProtectAsync("br-live", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.EqualTo("iptables is not installed (apt-get install iptables); ip6tables is not installed (apt-get install iptables)"));
            Assert.That(_calls, Is.Empty);
        });
    }

    [Test]
    public async Task ProtectAsync_KernelWithoutIpv6_OnlyIptablesAndNoFailure()
    {
        var firewall = new IptablesFirewall(TimeProvider.System, NullLogger<IptablesFirewall>.Instance, RunAsync, tool => "/usr/sbin/" + tool, _interfaces.Contains, _lock, hasIpv6: () => false);

        var failure = await firewall.ProtectAsync("br-live", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.Null);
            Assert.That(_calls, Has.None.StartsWith("/usr/sbin/ip6tables"));
            Assert.That(_calls, Has.Some.StartsWith("/usr/sbin/iptables -w 10 -I OUTPUT 1 -o br-live"));
        });
    }

    [Test]
    public async Task ProtectAsync_ToolCannotStart_AFailureNotAnException()
    {
        var firewall = new IptablesFirewall(TimeProvider.System, NullLogger<IptablesFirewall>.Instance,
            (_, _, _) => throw new InvalidOperationException("exec format error"), _ => "/usr/sbin/iptables", _ => true, _lock);

        var failure = await firewall.ProtectAsync("br-live", CancellationToken.None);

        Assert.That(failure, Does.Contain("iptables could not be run: exec format error"));
    }

    [Test]
    public async Task ProtectAsync_RulesOfGoneBridgesAndASecondCopy_RemovedTheLiveOneKept()
    {
        _answers["-C"] = new CommandResult(0, "", "");
        var rule = "-m conntrack --ctstate NEW -m owner ! --uid-owner 0 -m comment --comment gradient-node-replicas -j REJECT --reject-with icmp-port-unreachable";
        _listing = $"-P OUTPUT ACCEPT\n-A OUTPUT -o br-live {rule}\n-A OUTPUT -o br-gone {rule}\n-A OUTPUT -o br-live {rule}\n-A OUTPUT -o br-other -j DROP\n";
        _interfaces.Add("br-other");

        await Firewall().ProtectAsync("br-live", CancellationToken.None);
        var deletes = _calls.Where(c => c.StartsWith("/usr/sbin/iptables ", StringComparison.Ordinal) && c.Contains(" -D ", StringComparison.Ordinal)).ToList();

        Assert.That(deletes, Is.EqualTo(new[]
        {
            $"/usr/sbin/iptables -w 10 -D OUTPUT -o br-gone {rule}",
            $"/usr/sbin/iptables -w 10 -D OUTPUT -o br-live {rule}",
        }));
    }

    [Test]
    public async Task ProtectAsync_NotAnInterfaceName_RefusedWithoutRunningATool()
    {
        var failure = await Firewall().ProtectAsync("--flush", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(failure, Does.Contain("'--flush' is not an interface name"));
            Assert.That(_calls, Is.Empty);
        });
    }

    [Test]
    public async Task UnprotectAsync_ListingWithOursForTwoBridgesAndOthers_DeletesOnlyTheNamedBridgesRuleForBothTools()
    {
        const string rule = "-m conntrack --ctstate NEW -m owner ! --uid-owner 0 -m comment --comment gradient-node-replicas -j REJECT --reject-with icmp-port-unreachable";
        _listing = $"""
            -P OUTPUT ACCEPT
            -A OUTPUT -o br-gone {rule}
            -A OUTPUT -o br-live {rule}
            -A OUTPUT -o br-gone -j LOG --log-prefix gradient-node-replicas
            -A OUTPUT -o br-gone -m comment --comment gradient-node-replicas -j ACCEPT
            """;

        var failure = await Firewall().UnprotectAsync("br-gone", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.Null);
            Assert.That(_calls.Where(c => c.Contains(" -D ", StringComparison.Ordinal)), Is.EqualTo(new[]
            {
                $"/usr/sbin/iptables -w 10 -D OUTPUT -o br-gone {rule}",
                $"/usr/sbin/ip6tables -w 10 -D OUTPUT -o br-gone {rule}",
            }));
            Assert.That(_calls.Where(c => c.Contains(" -I ", StringComparison.Ordinal) || c.Contains(" -C ", StringComparison.Ordinal)), Is.Empty);
        });
    }

    [Test]
    public async Task UnprotectAsync_ToolRefusesTheDelete_FailureNamesTheTool()
    {
        _listing = "-A OUTPUT -o br-gone -m conntrack --ctstate NEW -m owner ! --uid-owner 0 -m comment --comment gradient-node-replicas -j REJECT\n";
        _answers["-D"] = new CommandResult(1, "", "iptables: Bad rule (does a matching rule exist in that chain?).\n");

        var failure = await Firewall().UnprotectAsync("br-gone", CancellationToken.None);

        Assert.That(failure, Does.StartWith("iptables refused to remove the rule for br-gone: iptables: Bad rule"));
    }

    [Test]
    public async Task UnprotectAsync_NotAnInterfaceName_RefusedWithoutRunningATool()
    {
        var failure = await Firewall().UnprotectAsync("-F", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(failure, Does.Contain("'-F' is not an interface name"));
            Assert.That(_calls, Is.Empty);
        });
    }

    private IptablesFirewall Firewall(Func<string, string?>? find = null) =>
        new(TimeProvider.System, NullLogger<IptablesFirewall>.Instance, RunAsync, find ?? (tool => "/usr/sbin/" + tool), _interfaces.Contains, _lock, hasIpv6: () => true);

    private Task<CommandResult> RunAsync(string path, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        _calls.Add(path + " " + string.Join(' ', arguments));
        var verb = arguments[2];
        return Task.FromResult(verb switch
        {
            "-S" => new CommandResult(0, _listing, ""),
            _ when _answers.TryGetValue(verb, out var answer) => answer,
            "-C" => new CommandResult(1, "", "iptables: Bad rule (does a matching rule exist in that chain?).\n"),
            _ => new CommandResult(0, "", ""),
        });
    }
}
