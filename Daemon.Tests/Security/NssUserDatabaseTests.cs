using System.Security.Cryptography;
using GradientNode.Daemon.Security;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.Security;

/// <summary>
/// The real libc calls against this host's accounts: root and nobody, and a user that only the name service switch
/// knows (a systemd user record in <c>/run/userdb</c>, which <c>nss-systemd</c> serves and <c>/etc/passwd</c> does not
/// hold), as an LDAP or SSSD user is. Before, the daemon read <c>/etc/passwd</c> and <c>/etc/group</c> only, so such a
/// member of the socket group was refused by the daemon-served console though the socket's group let them in.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class NssUserDatabaseTests
{
    private const string UserDb = "/run/userdb";
    private readonly List<string> _cleanup = [];
    private readonly NssUserDatabase _users = new();

    [TearDown]
    public async Task TearDown()
    {
        foreach (var command in _cleanup)
        {
            await ShellTool.RunAsync("/bin/sh", ["-c", command]);
        }

        _cleanup.Clear();
    }

    [Test]
    public void User_Root_RootWithGroupZero() => Assert.That(_users.User(0), Is.EqualTo(("root", 0u)));

    [Test]
    public void User_UidWithNoAccount_Null() => Assert.That(_users.User(3_999_999_999), Is.Null);

    [Test]
    public void GroupId_RootAndAMissingGroup_ZeroAndNull()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_users.GroupId("root"), Is.EqualTo(0u));
            Assert.That(_users.GroupId("gn-no-such-group-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))), Is.Null);
        });
    }

    [Test]
    public void GroupsOf_Nobody_ItsPrimaryGroupAndNotRoots()
    {
        var nobody = _users.User(65534) ?? throw new AssertionException("this host has no user 65534 (nobody)");

        Assert.That(_users.GroupsOf(nobody.Name, nobody.PrimaryGid), Does.Contain(nobody.PrimaryGid).And.Not.Contain(0u));
    }

    [Test]
    public async Task RefusalOfUid_SupplementaryMemberKnownOnlyThroughNss_AllowedAndAStrangerRefused()
    {
        var (member, uid) = RequireNssOnlyUser();
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var stranger = AddNssOnlyUser($"gn-nss-s{id}", uid + 1);
        var group = $"gn-nss-g{id}";
        _cleanup.Insert(0, $"groupdel {group}");
        foreach (var command in (string[])[$"groupadd --system {group}", $"gpasswd -a {member} {group}"])
        {
            var (code, output) = await ShellTool.RunAsync("/bin/sh", ["-c", command]);
            Assert.That(code, Is.Zero, $"{command}: {output}");
        }

        var policy = new SocketAccessPolicy(new UnixAccounts(), ownUid: 0, groupName: group);

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText("/etc/passwd"), Does.Not.Contain(member + ":"), "the member is known through NSS only");
            Assert.That(policy.Refusal(uid), Is.Null, "a member of the group as id(1) sees it");
            Assert.That(policy.Refusal(stranger), Is.EqualTo($"uid {stranger} is neither root nor a member of group '{group}'"));
        });
    }

    [Test]
    public void RefusalOfUid_GroupAndItsPrimaryMemberKnownOnlyThroughNss_AllowedAndTheGroupFound()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var (_, uid) = RequireNssOnlyUser();
        var group = $"gn-nss-p{id}";
        var gid = uid + 2;
        WriteRecord($"{group}.group", $$"""{"groupName":"{{group}}","gid":{{gid}}}""", $"{gid}.group");
        var member = AddNssOnlyUser($"gn-nss-p{id}u", uid + 3, gid);

        var policy = new SocketAccessPolicy(new UnixAccounts(), ownUid: 0, groupName: group);

        Assert.Multiple(() =>
        {
            Assert.That(_users.GroupId(group), Is.EqualTo(gid), "the socket's group, known through NSS only, is found (the socket gets it)");
            Assert.That(policy.Refusal(member), Is.Null, "its primary group");
            Assert.That(policy.Refusal(uid), Is.Not.Null, "a user of another primary group");
        });
    }

    /// <summary>A user in <c>/run/userdb</c> only; ends the test unless root and nss-systemd can serve one.</summary>
    private (string Name, uint Uid) RequireNssOnlyUser()
    {
        TestEnvironment.RequireRoot("needs root to add a user record under /run/userdb");
        var uid = (uint)RandomNumberGenerator.GetInt32(3_000_000, 3_900_000) * 8;
        var name = $"gn-nss-m{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
        AddNssOnlyUser(name, uid);
        if (_users.User(uid) is null)
        {
            const string Why = "this host's name service switch does not read /run/userdb (nsswitch.conf: passwd: files systemd, with libnss-systemd)";
            if (TestEnvironment.IsCi)
            {
                Assert.Fail(Why);
            }

            Assert.Ignore(Why);
        }

        return (name, uid);
    }

    private uint AddNssOnlyUser(string name, uint uid, uint? gid = null)
    {
        WriteRecord($"{name}.user", $$"""{"userName":"{{name}}","uid":{{uid}},"gid":{{gid ?? uid}}}""", $"{uid}.user");
        return uid;
    }

    private void WriteRecord(string file, string json, string byId)
    {
        Directory.CreateDirectory(UserDb);
        var path = Path.Combine(UserDb, file);
        var link = Path.Combine(UserDb, byId);
        _cleanup.Add($"rm -f '{path}' '{link}'");
        File.WriteAllText(path, json);
        File.CreateSymbolicLink(link, file);
    }
}
