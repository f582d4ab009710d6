using System.Diagnostics;
using System.Net.Sockets;
using GradientNode.Daemon.Cli;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Configuration;

/// <summary>
/// What <c>--config</c> may name (newuser5 "Small"): a fifo hung the start (and a reload) waiting for a writer, a folder
/// read "does not exist", a device was read as text. Only a regular file (after links) is read, and <c>/dev/null</c>, as
/// the way to start without the default file; anything else is an error naming it.
/// </summary>
internal sealed partial class NodeOptionsLoaderTests
{
    [Test]
    public async Task Load_ConfigIsAFifo_FailsNamingItWithoutWaitingForAWriter()
    {
        var fifo = Path.Combine(_dir, "node.yaml");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync();
        }

        var load = Task.Run(() => Load(["--config", fifo]));

        // Before, the open waited for a writer for good: the bound is only there so that the old code fails instead of hanging.
        Assert.That(await TestTimeouts.WaitAtMostAsync(() => load.IsCompleted, TestTimeouts.Short), Is.True, "the load returned instead of waiting for a writer");
        Assert.That(load.Exception?.InnerException, Is.TypeOf<UsageException>()
            .With.Message.EqualTo($"config file {fifo} is a fifo (reading it would wait for a writer), not a regular file, so it is not read: the config file is a YAML file (--config /dev/null reads none)"));
    }

    [Test]
    public void Load_ConfigIsAFolder_SaysItIsAFolderNotThatItDoesNotExist()
    {
        var ex = Assert.Throws<UsageException>(() => Load(["--config", _dir]));

        Assert.That(ex!.Message, Does.StartWith($"config file {_dir} is a folder, not a regular file"));
    }

    [TestCase("/dev/zero", "a character device")]
    [TestCase("link", "a character device")]
    public void Load_ConfigIsADeviceOtherThanDevNull_FailsNamingItWithoutReadingIt(string path, string what)
    {
        if (path == "link")
        {
            path = Path.Combine(_dir, "node.yaml");
            File.CreateSymbolicLink(path, "/dev/urandom");
        }

        var ex = Assert.Throws<UsageException>(() => Load(["--config", path]));

        Assert.That(ex!.Message, Does.StartWith($"config file {path} is {what}, not a regular file"));
    }

    [Test]
    public void Load_ConfigIsASocket_FailsNamingIt()
    {
        var path = Path.Combine(_dir, "node.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));

        var ex = Assert.Throws<UsageException>(() => Load(["--config", path]));

        Assert.That(ex!.Message, Does.StartWith($"config file {path} is a socket or another kind of file, not a regular file"));
    }

    [Test]
    public void Load_ConfigIsDevNull_NoSettingsAsWithAnEmptyFile()
    {
        // The way to start without /etc/gradient/node.yaml (as ssh -F /dev/null); documented in cli.md.
        var options = Load(["--config", "/dev/null", "--tls-dir", _dir]);

        Assert.Multiple(() =>
        {
            Assert.That(options.Domain, Is.EqualTo(Load(["--config", _emptyConfig]).Domain));
            Assert.That(options.TlsDir, Is.EqualTo(_dir));
        });
    }
}
