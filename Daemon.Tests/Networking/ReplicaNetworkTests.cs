using GradientNode.Core.Engine;
using GradientNode.Core.Networking;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Networking;

[TestFixture]
[Category("Unit")]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
internal sealed class ReplicaNetworkTests
{
    private readonly FakeNetworks _engine = new();
    private readonly FakeFirewall _firewall = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
    private readonly string _lock = Path.Combine(Path.GetTempPath(), $"gn-network-test-{Guid.NewGuid():N}.lock");

    [TearDown]
    public void TearDown() => File.Delete(_lock);

    [Test]
    public async Task EnsureAsync_NoNetwork_MakesABridgeWithoutInterContainerTrafficAndProtectsIt()
    {
        var choice = await Network().EnsureAsync(CancellationToken.None);

        var made = _engine.Made.Single();
        Assert.Multiple(() =>
        {
            Assert.That(choice, Is.EqualTo(new ReplicaNetworkChoice("0123456789abcdef0123", null)));
            Assert.That(made.Name, Is.EqualTo("gradient-node"));
            Assert.That(made.Driver, Is.EqualTo("bridge"));
            Assert.That(made.Options, Is.EquivalentTo(new Dictionary<string, string> { ["com.docker.network.bridge.enable_icc"] = "false" }));
            Assert.That(made.Labels, Is.EquivalentTo(new Dictionary<string, string> { ["gradient.managed"] = "true", ["gradient.node"] = "n1" }));
            Assert.That(_firewall.Protected, Is.EqualTo(new[] { "br-0123456789ab" }));
        });
    }

    [Test]
    public async Task EnsureAsync_TwoNetworksOfTheName_TheOldestIsUsedAndNoneMade()
    {
        _engine.Networks.Add(Bridge("bbbb00000000ffff", created: 2));
        _engine.Networks.Add(Bridge("aaaa00000000ffff", created: 1));

        var choice = await Network().EnsureAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(choice.NetworkMode, Is.EqualTo("aaaa00000000ffff"));
            Assert.That(_engine.Made, Is.Empty);
        });
    }

    [Test]
    public async Task EnsureAsync_NetworkOfAnotherDriver_ErrorSaysHowToFixIt()
    {
        _engine.Networks.Add(Bridge("cccc00000000ffff", created: 1) with { Driver = "macvlan" });

        var choice = await Network().EnsureAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(choice.NetworkMode, Is.Null);
            Assert.That(choice.Error, Is.EqualTo("the replica network 'gradient-node' uses the 'macvlan' driver; the node needs a bridge network: remove it (docker network rm gradient-node) or name another in node.yaml (replicaNetwork)"));
        });
    }

    [Test]
    public async Task EnsureAsync_NetworkMadeByHandWithInterContainerTraffic_UsedAndWarned()
    {
        _engine.Networks.Add(Bridge("dddd00000000ffff", created: 1, icc: null));
        var network = Network();

        var choice = await network.EnsureAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(choice.NetworkMode, Is.EqualTo("dddd00000000ffff"));
            Assert.That(network.Warnings.Single(), Does.Contain("lets its containers reach each other").And.Contain("docker network rm gradient-node"));
        });
    }

    [Test]
    public async Task EnsureAsync_FirewallRefuses_ReplicasStillStartAndTheNodeWarnsOnce()
    {
        _firewall.Failure = "iptables is not installed (apt-get install iptables)";
        var network = Network();

        var first = await network.EnsureAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(10));
        await network.EnsureAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first.Error, Is.Null);
            Assert.That(first.NetworkMode, Is.Not.Null);
            Assert.That(network.Warnings.Single(), Is.EqualTo("local users can reach replicas on 'gradient-node' (br-0123456789ab) without their deployment's password: iptables is not installed (apt-get install iptables)"));
            Assert.That(_firewall.Protected, Has.Count.EqualTo(1), "not tried again for every replica");
        });
    }

    [Test]
    public async Task EnsureAsync_AfterTheRecheckPeriod_TheRuleIsCheckedAgain()
    {
        var network = Network();
        await network.EnsureAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await network.EnsureAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(5));
        await network.EnsureAsync(CancellationToken.None);

        Assert.That(_firewall.Protected, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task EnsureAsync_EngineFails_ErrorNamesTheNetworkAndTheEnginesAnswer()
    {
        _engine.Failure = new EngineException("create network 'gradient-node' failed: could not find an available, non-overlapping IPv4 address pool", 500);

        var choice = await Network().EnsureAsync(CancellationToken.None);

        Assert.That(choice.Error, Is.EqualTo("the replica network 'gradient-node' could not be found or made: create network 'gradient-node' failed: could not find an available, non-overlapping IPv4 address pool"));
    }

    [Test]
    public async Task EnsureAsync_DefaultBridgeNamed_NothingMadeAndTheNodeWarns()
    {
        var network = Network("bridge");

        var choice = await network.EnsureAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(choice, Is.EqualTo(ReplicaNetworkChoice.DefaultBridge));
            Assert.That(_engine.Made, Is.Empty);
            Assert.That(_firewall.Protected, Is.Empty);
            Assert.That(network.Warnings.Single(), Does.Contain("default bridge").And.Contain("without their deployment's password"));
        });
    }

    [Test]
    public async Task ReleaseAsync_NothingOnTheNodesNetwork_NetworkRemovedThenItsRulesAndTheNextEnsureMakesBothAgain()
    {
        var network = Network();
        await network.EnsureAsync(CancellationToken.None);

        await network.ReleaseAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(_engine.Removed, Is.EqualTo(new[] { "0123456789abcdef0123" }));
            Assert.That(_engine.Networks, Is.Empty);
            Assert.That(_firewall.Unprotected, Is.EqualTo(new[] { "br-0123456789ab" }));
        });

        // A node started again (or one beside it) makes both again before its first replica, even within the recheck period.
        var again = await network.EnsureAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(again.Error, Is.Null);
            Assert.That(_engine.Made, Has.Count.EqualTo(2));
            Assert.That(_firewall.Protected, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task ReleaseAsync_ContainersOnTheNetwork_NetworkAndRulesStay()
    {
        var network = Network();
        await network.EnsureAsync(CancellationToken.None);
        _engine.InUse = true;

        await network.ReleaseAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(_engine.Networks, Has.Count.EqualTo(1), "replicas that outlive the node keep their network");
            Assert.That(_firewall.Unprotected, Is.Empty, "and stay protected across the restart");
        });
    }

    [Test]
    public async Task ReleaseAsync_NetworkMadeByHand_NeitherItNorItsRuleTouched()
    {
        _engine.Networks.Add(Bridge("dddd00000000ffff", created: 1));
        var network = Network();
        await network.EnsureAsync(CancellationToken.None);

        await network.ReleaseAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(_engine.Removed, Is.Empty);
            Assert.That(_firewall.Unprotected, Is.Empty);
        });
    }

    [Test]
    public async Task ReleaseAsync_EngineFails_LoggedNotThrown()
    {
        var network = Network();
        await network.EnsureAsync(CancellationToken.None);
        _engine.Failure = new EngineException("list networks failed: engine gone", 500);

        Assert.DoesNotThrowAsync(() => network.ReleaseAsync(CancellationToken.None));
        Assert.That(_firewall.Unprotected, Is.Empty);
    }

    [Test]
    public async Task ReleaseAsync_DefaultBridgeNamed_NothingAsked()
    {
        await Network("bridge").ReleaseAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(_engine.Removed, Is.Empty);
            Assert.That(_firewall.Unprotected, Is.Empty);
        });
    }

    private ReplicaNetwork Network(string name = "gradient-node") =>
        new(_engine, _firewall, name, "n1", _clock, NullLogger<ReplicaNetwork>.Instance, _lock);

    private static NetworkDetails Bridge(string id, int created, string? icc = "false") => new(
        id,
        "gradient-node",
        "bridge",
        DateTimeOffset.UnixEpoch.AddDays(created),
        icc is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [NetworkDetails.InterContainerOption] = icc },
        new Dictionary<string, string>());

    private sealed class FakeNetworks : IEngineNetworks
    {
        public List<NetworkDetails> Networks { get; } = [];

        public List<NetworkCreateRequest> Made { get; } = [];

        public EngineException? Failure { get; set; }

        public List<string> Removed { get; } = [];

        public bool InUse { get; set; }

        public Task<IReadOnlyList<NetworkDetails>> FindNetworksAsync(string name, CancellationToken cancellationToken) =>
            Failure is not null
                ? throw Failure
                : Task.FromResult<IReadOnlyList<NetworkDetails>>([.. Networks.Where(n => n.Name == name).OrderBy(n => n.Created)]);

        public Task<string> CreateNetworkAsync(NetworkCreateRequest request, CancellationToken cancellationToken)
        {
            Made.Add(request);
            Networks.Add(new NetworkDetails("0123456789abcdef0123", request.Name, request.Driver, DateTimeOffset.UnixEpoch, request.Options, request.Labels));
            return Task.FromResult("0123456789abcdef0123");
        }

        public Task<bool> RemoveNetworkIfUnusedAsync(NetworkDetails network, CancellationToken cancellationToken)
        {
            var id = network.Id;
            if (InUse)
            {
                return Task.FromResult(false);
            }

            Removed.Add(id);
            Networks.RemoveAll(n => n.Id == id);
            return Task.FromResult(true);
        }
    }

    private sealed class FakeFirewall : IHostFirewall
    {
        public List<string> Protected { get; } = [];

        public string? Failure { get; set; }

        public Task<string?> ProtectAsync(string bridge, CancellationToken cancellationToken)
        {
            Protected.Add(bridge);
            return Task.FromResult(Failure);
        }

        public List<string> Unprotected { get; } = [];

        public Task<string?> UnprotectAsync(string bridge, CancellationToken cancellationToken)
        {
            Unprotected.Add(bridge);
            return Task.FromResult<string?>(null);
        }
    }
}
