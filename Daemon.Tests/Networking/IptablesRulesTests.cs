using GradientNode.Core.Networking;
using NUnit.Framework;

namespace GradientNode.Tests.Networking;

[TestFixture]
[Category("Unit")]
internal sealed class IptablesRulesTests
{
    private const string Listing = """
        -P OUTPUT ACCEPT
        -A OUTPUT -o br-090f33f0bb0f -m conntrack --ctstate NEW -m owner ! --uid-owner 0 -m comment --comment gradient-node-replicas -j REJECT --reject-with icmp-port-unreachable
        -A OUTPUT -o eth0 -j ACCEPT
        -A OUTPUT -o br-aaaaaaaaaaaa -m comment --comment "someone else's" -j DROP
        -A OUTPUT -o gn0 -m conntrack --ctstate NEW -m owner ! --uid-owner 0 -m comment --comment gradient-node-replicas -j REJECT --reject-with icmp-port-unreachable
        """;

    [Test]
    public void Rule_Bridge_RefusesNewConnectionsOfEveryoneButRootIntoIt()
    {
        Assert.That(string.Join(' ', IptablesRules.Rule("br-090f33f0bb0f")), Is.EqualTo(
            "-o br-090f33f0bb0f -m conntrack --ctstate NEW -m owner ! --uid-owner 0 -m comment --comment gradient-node-replicas -j REJECT"));
    }

    [TestCase("-j")]
    [TestCase("br/../x")]
    [TestCase("a-name-of-16-chr")]
    [TestCase("")]
    [TestCase("br x")]
    public void Rule_NotAnInterfaceName_Throws(string bridge) =>
        Assert.Throws<ArgumentException>(() => IptablesRules.Rule(bridge));

    [Test]
    public void CheckAndInsert_Bridge_WaitForTheLockAndInsertFirstInOutput()
    {
        Assert.Multiple(() =>
        {
            Assert.That(IptablesRules.Check("gn0").Take(4), Is.EqualTo(new[] { "-w", "10", "-C", "OUTPUT" }));
            Assert.That(IptablesRules.Insert("gn0").Take(5), Is.EqualTo(new[] { "-w", "10", "-I", "OUTPUT", "1" }));
        });
    }

    [Test]
    public void Ours_ListingWithOtherRules_OnlyTheNodesRulesWithTheirExactDeleteArguments()
    {
        var ours = IptablesRules.Ours(Listing);

        Assert.Multiple(() =>
        {
            Assert.That(ours.Select(o => o.Bridge), Is.EqualTo(new[] { "br-090f33f0bb0f", "gn0" }));
            Assert.That(string.Join(' ', ours[0].Delete), Is.EqualTo(
                "-w 10 -D OUTPUT -o br-090f33f0bb0f -m conntrack --ctstate NEW -m owner ! --uid-owner 0 -m comment --comment gradient-node-replicas -j REJECT --reject-with icmp-port-unreachable"));
        });
    }

    [TestCase("-A OUTPUT -o br-090f33f0bb0f -j LOG --log-prefix gradient-node-replicas", TestName = "Ours_OurCommentAsALogPrefix_NotOurs")]
    [TestCase("-A OUTPUT -o br-090f33f0bb0f -m comment --comment gradient-node-replicas -j ACCEPT", TestName = "Ours_OurCommentOnAnotherRule_NotOurs")]
    [TestCase("-A OUTPUT -o br-090f33f0bb0f -m conntrack --ctstate NEW -m owner ! --uid-owner 0 -m comment --comment gradient-node-replicas -j DROP", TestName = "Ours_OurMatchesWithAnotherTarget_NotOurs")]
    [TestCase("-A OUTPUT -o br-090f33f0bb0f -m conntrack --ctstate NEW -m owner ! --uid-owner 1000 -m comment --comment gradient-node-replicas -j REJECT --reject-with icmp-port-unreachable", TestName = "Ours_AnotherOwner_NotOurs")]
    [TestCase("-A OUTPUT -o br-090f33f0bb0f -m conntrack --ctstate NEW -m owner ! --uid-owner 0 -m comment --comment gradient-node-replicas-2 -j REJECT --reject-with icmp-port-unreachable", TestName = "Ours_ACommentThatStartsLikeOurs_NotOurs")]
    [TestCase("-A FORWARD -o br-090f33f0bb0f -m conntrack --ctstate NEW -m owner ! --uid-owner 0 -m comment --comment gradient-node-replicas -j REJECT --reject-with icmp-port-unreachable", TestName = "Ours_OurRuleInAnotherChain_NotOurs")]
    [TestCase("-A OUTPUT -s 10.0.0.1/32 -o br-090f33f0bb0f -m conntrack --ctstate NEW -m owner ! --uid-owner 0 -m comment --comment gradient-node-replicas -j REJECT --reject-with icmp-port-unreachable", TestName = "Ours_OurRuleWithAnotherMatchInFront_NotOurs")]
    [TestCase("-A OUTPUT -o br-090f33f0bb0f -m conntrack --ctstate NEW -m owner ! --uid-owner 0 -m comment --comment gradient-node-replicas -j REJECT --reject-with icmp-port-unreachable -m mark --mark 1", TestName = "Ours_OurRuleWithMoreAfterIt_NotOurs")]
    public void Ours_RuleThatIsNotExactlyTheNodes_LeftAlone(string line) =>
        Assert.That(IptablesRules.Ours("-P OUTPUT ACCEPT\n" + line + "\n"), Is.Empty);

    [Test]
    public void Ours_Ip6tablesListing_OursWithItsRejectWith()
    {
        var ours = IptablesRules.Ours("-A OUTPUT -o gn0 -m conntrack --ctstate NEW -m owner ! --uid-owner 0 -m comment --comment gradient-node-replicas -j REJECT --reject-with icmp6-port-unreachable\n");

        Assert.That(ours.Select(o => o.Delete[^1]), Is.EqualTo(new[] { "icmp6-port-unreachable" }));
    }

    [Test]
    public void OursFor_ListingWithTwoBridges_OnlyTheNamedBridgesRule()
    {
        Assert.Multiple(() =>
        {
            Assert.That(IptablesRules.OursFor(Listing, "gn0").Select(d => d.Skip(4).Take(2)), Is.EqualTo(new[] { new[] { "-o", "gn0" } }));
            Assert.That(IptablesRules.OursFor(Listing, "br-aaaaaaaaaaaa"), Is.Empty, "a rule with another comment");
            Assert.That(IptablesRules.OursFor(Listing, "gn"), Is.Empty, "a prefix of a bridge's name");
        });
    }
}
