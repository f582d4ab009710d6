using GradientNode.Core.Common;
using GradientNode.Daemon.Cli;
using GradientNode.Daemon.Security;
using GradientNode.Tests.Security;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

/// <summary>
/// Which folders a client verb writes into by name (<see cref="OwnFolder"/>): a group-writable folder passes only when
/// its group is its owner's private group (a user's own folder under <c>umask 002</c>), as another member of any other
/// group could put links in it where root is about to write.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class OwnFolderTests
{
    private string _folder = null!;
    private FileStatus _status;

    [SetUp]
    public void SetUp()
    {
        _folder = Directory.CreateTempSubdirectory("gn-own-folder-").FullName;
        File.SetUnixFileMode(_folder, (UnixFileMode)0b111_111_101); // 0775, as umask 002 makes it
        Assert.That(FileStatus.TryOf(_folder, followLinks: false, out _status), Is.True);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Problem_GroupWritableWithTheOwnersPrivateGroup_Accepted()
    {
        var accounts = Accounts(groupName: "me", members: []);

        Assert.That(OwnFolder.Problem(_folder, _status.Uid, accounts), Is.Null);
    }

    [Test]
    public void Problem_GroupWritableWithASharedGroup_RefusedNamingTheFolderItsGroupModeAndWhatToDo()
    {
        var accounts = Accounts(groupName: "team", members: ["me", "bob"]);

        var problem = OwnFolder.Problem(_folder, _status.Uid, accounts);

        Assert.That(problem, Does.StartWith($"{_folder} is writable by group team (gid {_status.Gid}, mode 0775), whose other members")
            .And.Contain("chmod g-w"));
    }

    [Test]
    public void Problem_GroupWritableWithAGroupNamedAsTheOwnerThatListsAnotherMember_Refused()
    {
        var accounts = Accounts(groupName: "me", members: ["bob"]);

        Assert.That(OwnFolder.Problem(_folder, _status.Uid, accounts), Does.Contain("is writable by group me"));
    }

    [Test]
    public void Problem_SharedGroupButNotGroupWritable_Accepted()
    {
        File.SetUnixFileMode(_folder, (UnixFileMode)0b111_101_101);

        Assert.That(OwnFolder.Problem(_folder, _status.Uid, Accounts(groupName: "team", members: ["me", "bob"])), Is.Null);
    }

    [Test]
    public void Problem_RootsFolderGroupWritableByAnotherGroup_RefusedThroughTheNameService()
    {
        Assume.That(Libc.GetEffectiveUserId(), Is.Zero, "giving a folder to another group needs root");
        // The real accounts: root's folder given to a group that is no one's private group (nogroup, 65534). Before,
        // every group-writable folder passed.
        Assert.That(Libc.Chown(_folder, -1, 65534), Is.Zero);

        Assert.That(OwnFolder.Problem(_folder), Does.StartWith($"{_folder} is writable by ").And.Contain("mode 0775").And.Contain("chmod g-w"));
    }

    /// <summary>The folder's owner as user <c>me</c> with the folder's group as primary group, that group named and listed as given.</summary>
    private FixedUserDatabase Accounts(string groupName, string[] members) =>
        new([("me", _status.Uid, _status.Gid), ("bob", _status.Uid + 1, _status.Gid + 1)], [(groupName, _status.Gid, members)]);
}
