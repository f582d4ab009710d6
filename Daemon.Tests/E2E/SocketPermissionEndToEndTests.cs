using System.Net.Sockets;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// A user who may not open the API socket (neither root nor in its group) is told so and how to get in, not asked
/// whether the daemon runs: the published binary run as <c>nobody</c> against a root-only socket.
/// </summary>
[TestFixture]
[Category("E2E")]
internal sealed class SocketPermissionEndToEndTests
{
    [Test]
    public async Task Ls_SocketTheUserMayNotOpen_SaysPermissionDeniedAndHowToJoinTheGroup()
    {
        var setpriv = ShellTool.Require("setpriv", "util-linux");
        TestEnvironment.RequireRoot("needs root to run the client as another user");

        var dir = Directory.CreateTempSubdirectory("gn-sockperm-").FullName;
        try
        {
            File.SetUnixFileMode(dir, File.GetUnixFileMode(dir) | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            var path = Path.Combine(dir, "gradient.sock");
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen();
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

            var (code, output) = await ShellTool.RunAsync(
                setpriv,
                ["--reuid=65534", "--regid=65534", "--clear-groups", GradientNodeProcess.BinaryPath(), "--socket", path, "ls"],
                new Dictionary<string, string> { ["HOME"] = "/tmp", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });

            Assert.That(code, Is.EqualTo(3), output);
            // Before: "cannot reach gradient-node at …: Permission denied. Is the daemon running (gradient-node up | daemon)?"
            Assert.That(output, Does.Contain($"cannot use gradient-node at {path}: permission denied"));
            Assert.That(output, Does.Contain("sudo usermod -aG gradient $USER").And.Not.Contain("Is the daemon running"));
            // The socket kept root's own group, as a daemon's does when its socket group did not exist: that is said.
            Assert.That(output, Does.Contain("The socket has no socket group (its group is its owner's own, 'root')"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public async Task Ls_SocketOfAGroupTheUserIsNotIn_NamesThatGroup()
    {
        var setpriv = ShellTool.Require("setpriv", "util-linux");
        TestEnvironment.RequireRoot("needs root to run the client as another user and to set the socket's group");

        var dir = Directory.CreateTempSubdirectory("gn-sockperm-").FullName;
        try
        {
            File.SetUnixFileMode(dir, File.GetUnixFileMode(dir) | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            var path = Path.Combine(dir, "gradient.sock");
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen();
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
            var (chown, chownOutput) = await ShellTool.RunAsync("chgrp", ["daemon", path], new Dictionary<string, string>());
            Assert.That(chown, Is.Zero, chownOutput);

            var (code, output) = await ShellTool.RunAsync(
                setpriv,
                ["--reuid=65534", "--regid=65534", "--clear-groups", GradientNodeProcess.BinaryPath(), "--socket", path, "ls"],
                new Dictionary<string, string> { ["HOME"] = "/tmp", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });

            Assert.That(code, Is.EqualTo(3), output);
            // Before: "add yourself with 'sudo usermod -aG gradient $USER'", a group this socket does not have.
            Assert.That(output, Does.Contain("members of the socket's group 'daemon'").And.Contain("sudo usermod -aG daemon $USER").And.Not.Contain("-aG gradient"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
