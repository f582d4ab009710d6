using System.Net.Sockets;
using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

/// <summary>
/// A caller the API socket refuses is told what the socket's own group says: join that group, or, when the socket still
/// has its owner's group (the node's socket group did not exist when it made the socket), create the group and reload.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class SocketPermissionMessageTests
{
    private const string Path = "/run/gradient/gradient.sock";

    [Test]
    public void For_SocketWithItsOwnersGroupAndNoGradientGroup_SaysToCreateTheGroupAndRestart()
    {
        var message = SocketPermissionMessage.For(Path, new SocketPermissionMessage.SocketGroup(0, "root", IsOwnersPrimaryGroup: true), defaultGroupExists: false);

        Assert.That(message, Does.StartWith($"cannot use gradient-node at {Path}: permission denied. The socket has no socket group (its group is its owner's own, 'root')"));
        Assert.That(message, Does.Contain("create it (sudo groupadd gradient) and reload the daemon (sudo systemctl reload gradient-node, or kill -HUP its pid)"));
        Assert.That(message, Does.Contain("'sudo usermod -aG gradient $USER'"));
    }

    [Test]
    public void For_SocketWithItsOwnersGroupAndTheGradientGroupCreatedSince_SaysToRestartOnly()
    {
        var message = SocketPermissionMessage.For(Path, new SocketPermissionMessage.SocketGroup(0, "root", IsOwnersPrimaryGroup: true), defaultGroupExists: true);

        Assert.That(message, Does.Contain("the group 'gradient' exists now, so reload the daemon").And.Not.Contain("groupadd"));
    }

    [Test]
    public void For_SocketWithAGroupOfItsOwn_NamesThatGroup()
    {
        var message = SocketPermissionMessage.For(Path, new SocketPermissionMessage.SocketGroup(1001, "ml", IsOwnersPrimaryGroup: false), defaultGroupExists: false);

        Assert.That(message, Is.EqualTo(
            $"cannot use gradient-node at {Path}: permission denied. Only root, the daemon's own user and members of the socket's group 'ml' may: "
            + "add yourself with 'sudo usermod -aG ml $USER' and log in again (already added: a new login, or 'newgrp ml', picks it up), or run the command as root (sudo)."));
    }

    [Test]
    public void For_SocketNotReadable_KeepsTheGeneralWords() =>
        Assert.That(SocketPermissionMessage.For(Path, null, defaultGroupExists: true), Does.Contain("members of its socket group (gradient, unless the node sets --socket-group or socketGroup)"));

    [Test]
    public void Inspect_ASocketFile_ReadsItsGroup()
    {
        var dir = Directory.CreateTempSubdirectory("gn-sockgroup-").FullName;
        try
        {
            var path = System.IO.Path.Combine(dir, "s.sock");
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));

            var group = SocketPermissionMessage.Inspect(path);

            // The test's own process made it: its group is the process's group, and for root that is root's primary group.
            Assert.That(group, Is.Not.Null);
            Assert.That(group!.Name, Is.Not.Null.And.Not.Empty);
            Assert.That(SocketPermissionMessage.Inspect(System.IO.Path.Combine(dir, "absent.sock")), Is.Null);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
