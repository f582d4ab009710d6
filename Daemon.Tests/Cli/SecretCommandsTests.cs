using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

/// <summary><c>secrets set NAME --from-file F</c>: what the client reads, before any call to the daemon.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class SecretCommandsTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("gn-secret-file-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task RunAsync_SetFromFileThroughAnotherUsersLinkToARootOnlyFile_RefusedNamingTheLinkWithoutCallingTheDaemon()
    {
        // Root stores alice's token: `secrets set hf --from-file /home/alice/token`, which alice made a link to a file only
        // root reads. Before: root read it and stored it as a secret, which alice's deployments then receive.
        if (Environment.UserName != "root")
        {
            Assert.Ignore("a link of another user needs root to make");
        }

        var secret = Path.Combine(_dir, "shadow");
        File.WriteAllText(secret, "root:$6$hash");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var link = Path.Combine(_dir, "token");
        File.CreateSymbolicLink(link, secret);
        using (var chown = System.Diagnostics.Process.Start("chown", ["-h", "nobody", link]))
        {
            chown.WaitForExit();
        }

        using var api = new ApiClient("/nonexistent/gradient.sock");
        var error = new StringWriter();
        var code = await new SecretCommands(api, Stream.Null, TextWriter.Null, error).RunAsync("secrets", ParsedArgs.Parse(["set", "hf", "--from-file", link]), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(ExitCodes.Failed));
            Assert.That(error.ToString(), Does.StartWith($"error: --from-file {link}: ").And.Contain("owned by uid 65534").And.Contain("nothing was stored"));
            Assert.That(error.ToString(), Does.Not.Contain("$6$"));
        });
    }

    [Test]
    public async Task RunAsync_SetFromAFifo_RefusedWithoutWaitingForAWriter()
    {
        var fifo = Path.Combine(_dir, "pipe");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
        }

        using var api = new ApiClient("/nonexistent/gradient.sock");
        var error = new StringWriter();
        var code = await new SecretCommands(api, Stream.Null, TextWriter.Null, error).RunAsync("secrets", ParsedArgs.Parse(["set", "hf", "--from-file", fifo]), CancellationToken.None);

        Assert.That(code, Is.EqualTo(ExitCodes.Failed));
        Assert.That(error.ToString(), Is.EqualTo($"error: --from-file {fifo}: not a regular file (a fifo, device or socket)\n").Or.EqualTo($"error: --from-file {fifo}: not a regular file (a fifo, device or socket)\r\n"));
    }
}
