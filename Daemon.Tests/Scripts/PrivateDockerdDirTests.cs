using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.Scripts;

/// <summary>
/// scripts/lib.sh's private dockerd folder (run.sh: <c>/tmp/gn-run-XXXXXXXX</c>, named after the checkout's path;
/// test.sh: <c>/tmp/gn-test-docker</c>) is a name in <c>/tmp</c> that any local user can make first. Root then wrote into
/// that user's folder: <c>.start.lock</c> (truncated) and <c>daemon.json</c> through links the user put there, the
/// engine's socket and data root under a folder the user can rename entries of. The folder must be root's own
/// (the caller's), not a link, and writable by nobody else; otherwise the script stops before writing anything. The same
/// for the s3rver folder (<c>/tmp/gn-s3rver</c>), whose program root runs.
/// </summary>
[TestFixture]
[Category("Unit")]
[NonParallelizable]
public sealed class PrivateDockerdDirTests
{
    private string _dir = null!;
    private string _victim = null!;

    [SetUp]
    public void SetUp()
    {
        if (Environment.UserName != "root")
        {
            var problem = "handing a folder to another user needs root";
            if (TestEnvironment.IsCi)
            {
                Assert.Fail(problem);
            }

            Assert.Ignore(problem);
        }

        _dir = Path.Combine("/tmp", "gn-lt-" + Guid.NewGuid().ToString("N")[..8]);
        _victim = Path.Combine(Path.GetTempPath(), "gn-lt-victim-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(_victim, "root:precious\n");
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_dir is not null && (Directory.Exists(_dir) || File.Exists(_dir)))
        {
            await ShellTool.RunAsync("rm", ["-rf", _dir]);
        }

        if (_victim is not null)
        {
            // The script without the check writes through the links: .json and .log are what it made there.
            foreach (var made in new[] { _victim, _victim + ".json", _victim + ".log" })
            {
                File.Delete(made);
            }
        }
    }

    [Test]
    public async Task StartPrivateDockerd_FolderAnotherUserMadeFirstWithLinksInIt_RefusedNamingTheOwnerAndNothingWrittenThroughTheLinks()
    {
        Directory.CreateDirectory(_dir);
        File.SetUnixFileMode(_dir, (UnixFileMode)0b111_111_111);
        File.CreateSymbolicLink(Path.Combine(_dir, ".start.lock"), _victim);
        File.CreateSymbolicLink(Path.Combine(_dir, "daemon.json"), _victim + ".json");
        File.CreateSymbolicLink(Path.Combine(_dir, "dockerd.log"), _victim + ".log");
        await ChownAsync("nobody", _dir);

        var (rc, output) = await StartAsync(_dir);

        Assert.Multiple(() =>
        {
            Assert.That(rc, Is.Not.Zero, output);
            Assert.That(output, Does.Contain(_dir).And.Contain("owned by nobody"), "the error names the folder and its owner");
            Assert.That(File.ReadAllText(_victim), Is.EqualTo("root:precious\n"), "the link's target was not truncated");
            Assert.That(File.Exists(_victim + ".json"), Is.False, "nothing was written through daemon.json");
            Assert.That(File.Exists(_victim + ".log"), Is.False, "nothing was written through dockerd.log");
        });
    }

    [Test]
    public async Task StartPrivateDockerd_OwnFolderWritableByOthers_Refused()
    {
        Directory.CreateDirectory(_dir);
        File.SetUnixFileMode(_dir, (UnixFileMode)0b111_111_111);

        var (rc, output) = await StartAsync(_dir);

        Assert.That(rc, Is.Not.Zero, output);
        Assert.That(output, Does.Contain(_dir).And.Contain("writable by others"));
    }

    [Test]
    public async Task StartPrivateDockerd_FolderIsALinkToARootFolder_Refused()
    {
        var target = _dir + "-target";
        Directory.CreateDirectory(target);
        try
        {
            File.CreateSymbolicLink(_dir, target);

            var (rc, output) = await StartAsync(_dir);

            Assert.That(rc, Is.Not.Zero, output);
            Assert.That(output, Does.Contain(_dir).And.Contain("symbolic link"));
            Assert.That(Directory.EnumerateFileSystemEntries(target), Is.Empty, "nothing was written where the link points");
        }
        finally
        {
            Directory.Delete(target, recursive: true);
        }
    }

    [Test]
    public async Task PrivateDockerdDir_MissingOrOwnedByTheCaller_MadeOrKeptAndAccepted()
    {
        var (rc, output) = await ShellTool.RunAsync("bash", ["-c", $"source scripts/lib.sh && private_dockerd_dir {_dir} && private_dockerd_dir {_dir} && stat -c '%U %a' {_dir}"]);

        Assert.That(rc, Is.Zero, output);
        Assert.That(output.Trim(), Is.EqualTo("root 700"), "made by the caller, for the caller alone");
    }

    [Test]
    public async Task EnsureS3rver_FolderAnotherUserMadeFirstWithAnS3rverInIt_RefusedWithoutRunningIt()
    {
        // test.sh and bench/s3-sync.sh run /tmp/gn-s3rver/node_modules/.bin/s3rver as root when it is there.
        var bin = Path.Combine(_dir, "node_modules", ".bin");
        Directory.CreateDirectory(bin);
        var planted = Path.Combine(bin, "s3rver");
        File.WriteAllText(planted, $"#!/bin/sh\necho planted > {_victim}\n");
        File.SetUnixFileMode(planted, (UnixFileMode)0b111_101_101);
        await ShellTool.RunAsync("chown", ["-R", "nobody", _dir]);

        var (rc, output) = await ShellTool.RunAsync("bash", ["-c", $"source scripts/lib.sh && ensure_s3rver {_dir} && \"$GN_S3RVER_BIN\" 2>&1"]);

        Assert.Multiple(() =>
        {
            Assert.That(rc, Is.Not.Zero, output);
            Assert.That(output, Does.Contain(_dir).And.Contain("owned by nobody"));
            Assert.That(File.ReadAllText(_victim), Is.EqualTo("root:precious\n"), "the program another user left there did not run");
        });
    }

    /// <summary>
    /// Runs start_private_dockerd with apt, bridges, the engine's start and the wait for it stubbed out: what is left is
    /// what the script writes into the folder (the lock, daemon.json, the log's redirect), so a script without the check
    /// writes through the links and starts nothing.
    /// </summary>
    private static Task<(int ExitCode, string Output)> StartAsync(string dir) =>
        ShellTool.RunAsync("bash", ["-c", "source scripts/lib.sh && ensure_apt_packages() { :; } && ensure_private_bridge() { :; } && remove_pool_bridges() { :; } "
            + "&& bridge_subnet() { echo 1; } && remembered_bridge_subnet() { :; } && engine_reachable() { return 1; } && sleep() { :; } && setsid() { echo STARTED; } "
            + $"&& start_private_dockerd {dir} 2>&1"]);

    private static async Task ChownAsync(string user, string path)
    {
        var (rc, output) = await ShellTool.RunAsync("chown", ["-h", user, path]);
        Assert.That(rc, Is.Zero, output);
    }
}
