using GradientNode.Daemon.Security;
using NUnit.Framework;

namespace GradientNode.Tests.Security;

[TestFixture]
[Category("Unit")]
public sealed class SocketAccessPolicyTests
{
    private string _dir = null!;
    private SocketAccessPolicy _policy = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("gn-accounts-").FullName;
        var users = new FixedUserDatabase(
            [("root", 0, 0), ("alice", 1001, 1001), ("bob", 1002, 1002), ("carol", 1003, 990), ("svc", 1500, 1500)],
            [("root", 0, []), ("alice", 1001, []), ("bob", 1002, []), ("gradient", 990, ["alice", "dave"])]);
        Directory.CreateDirectory(Path.Combine(_dir, "proc", "77"));
        File.WriteAllText(Path.Combine(_dir, "proc", "77", "status"), "Name:\tx\nGroups:\t27 990 1002 \n");
        var accounts = new UnixAccounts(users, Path.Combine(_dir, "proc"));
        _policy = new SocketAccessPolicy(accounts, ownUid: 1500, groupName: "gradient");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Refusal_Root_Allowed() => Assert.That(_policy.Refusal(new PeerCredentials(10, 0, 0)), Is.Null);

    [Test]
    public void Refusal_DaemonsOwnUser_Allowed() => Assert.That(_policy.Refusal(new PeerCredentials(10, 1500, 1500)), Is.Null);

    [Test]
    public void Refusal_SupplementaryMemberInGroupFile_Allowed() => Assert.That(_policy.Refusal(new PeerCredentials(10, 1001, 1001)), Is.Null);

    [Test]
    public void Refusal_PrimaryGroupInPasswd_Allowed() => Assert.That(_policy.Refusal(new PeerCredentials(10, 1003, 1003)), Is.Null);

    [Test]
    public void Refusal_ProcessCarriesGroup_Allowed() => Assert.That(_policy.Refusal(new PeerCredentials(77, 1002, 1002)), Is.Null);

    [Test]
    public void Refusal_NonMember_RefusedWithReason()
    {
        var refusal = _policy.Refusal(new PeerCredentials(10, 1002, 1002));

        Assert.That(refusal, Is.EqualTo("uid 1002 is neither root nor a member of group 'gradient'"));
    }

    [Test]
    public void Refusal_UnknownUid_Refused() => Assert.That(_policy.Refusal(new PeerCredentials(10, 4242, 4242)), Is.Not.Null);

    [Test]
    public void Refusal_NoCredentials_Refused() => Assert.That(_policy.Refusal(null), Is.Not.Null);

    [Test]
    public void Refusal_GroupMissing_OnlyRootAndSelf()
    {
        _policy.GroupName = "no-such-group";

        Assert.That(_policy.Refusal(new PeerCredentials(10, 1001, 1001)), Is.Not.Null);
        Assert.That(_policy.Refusal(new PeerCredentials(10, 0, 0)), Is.Null);
    }

    [Test]
    public void RefusalOfUid_RootOwnUserAndMembersByListOrPrimaryGroup_AllowedOthersRefused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_policy.Refusal(0u), Is.Null, "root");
            Assert.That(_policy.Refusal(1500u), Is.Null, "the daemon's user");
            Assert.That(_policy.Refusal(1001u), Is.Null, "alice, listed in the group");
            Assert.That(_policy.Refusal(1003u), Is.Null, "carol, whose primary group it is");
            Assert.That(_policy.Refusal(1002u), Is.EqualTo("uid 1002 is neither root nor a member of group 'gradient'"), "bob");
            Assert.That(_policy.Refusal(65534u), Does.StartWith("uid 65534 is neither"), "a uid with no account");
        });
    }
}
