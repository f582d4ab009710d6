using System.Security.Cryptography;
using System.Text;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// <c>models add</c> uploads what the calling user can read (issue 13, item 6): the published binary run as a real
/// unprivileged member of the socket group against a root-only folder, a size cap, and the old path body refused.
/// </summary>
[TestFixture]
[Category("E2E")]
[NonParallelizable]
internal sealed class ModelUploadTests
{
    private readonly List<string> _cleanup = [];
    private GradientNodeProcess? _daemon;

    [TearDown]
    public async Task TearDown()
    {
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }

        foreach (var command in _cleanup)
        {
            await ShellTool.RunAsync("/bin/sh", ["-c", command]);
        }

        _cleanup.Clear();
    }

    [Test]
    public async Task ModelsAdd_UnprivilegedMemberOnRootOnlyFolder_PermissionDeniedAndNothingStoredButOwnFolderWorks()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        var setpriv = ShellTool.Require("setpriv", "util-linux");
        TestEnvironment.RequireRoot("needs root to create a throwaway user");

        var (group, member, _) = await ThrowawayUsers.CreateAsync(_cleanup);

        _daemon = GradientNodeProcess.Prepare().Sibling("daemon");
        await _daemon.StartAsync(extraArgs: ["--socket-group", group]);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(File.GetUnixFileMode(_daemon.Socket).HasFlag(UnixFileMode.GroupWrite)), TestTimeouts.Short, "the socket's mode to be set");
        foreach (var dir in new[] { _daemon.Root, _daemon.RunDir })
        {
            File.SetUnixFileMode(dir, File.GetUnixFileMode(dir) | UnixFileMode.OtherExecute);
        }

        // What root may read and the member may not, as /var/lib/gradient or /root would be.
        var secret = Path.Combine(_daemon.Root, "root-only");
        Directory.CreateDirectory(secret);
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await File.WriteAllTextAsync(Path.Combine(secret, "secrets.json"), "{\"token\": \"root-only-7c1e\"}\n");

        // The member's own folder, readable by the member only.
        var own = Path.Combine(_daemon.Root, "own");
        Directory.CreateDirectory(Path.Combine(own, "sub"));
        await File.WriteAllTextAsync(Path.Combine(own, "sub", "weights.txt"), "member weights\n");
        await ShellTool.RunAsync("/bin/sh", ["-c", $"chown -R {member} '{own}' && chmod -R go-rwx '{own}'"]);
        File.SetUnixFileMode(_daemon.Root, File.GetUnixFileMode(_daemon.Root) | UnixFileMode.OtherExecute);

        async Task<(int Code, string Output)> ModelsAddAs(string user, string name, string from) =>
            await ShellTool.RunAsync(
                setpriv,
                [$"--reuid={user}", $"--regid={user}", "--init-groups", GradientNodeProcess.BinaryPath(), "--socket", _daemon.Socket, "models", "add", name, "--from", from],
                new Dictionary<string, string> { ["HOME"] = "/tmp", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });

        var stolen = await ModelsAddAs(member, "stolen", secret);
        Assert.That(stolen.Code, Is.EqualTo(1), stolen.Output);
        Assert.That(stolen.Output, Does.Contain("permission denied").And.Contain("nothing was added"));
        var models = Path.Combine(_daemon.StateDir, "models");
        Assert.That(Directory.Exists(Path.Combine(models, "stolen")), Is.False, "the store got nothing");

        var mine = await ModelsAddAs(member, "mine", own);
        Assert.That(mine.Code, Is.Zero, mine.Output);
        Assert.That(mine.Output, Does.Contain("mine:1"));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(models, "mine", "1", "sub", "weights.txt")), Is.EqualTo("member weights\n"));

        var listed = await _daemon.CliAsync("models", "ls");
        Assert.That(listed.Stdout, Does.Match(@"\nmine +1 +1 ").And.Not.Contain("stolen"), listed.ToString());
        Assert.That(_daemon.Output, Does.Not.Contain("root-only-7c1e"));
    }

    [Test]
    public async Task ModelsAdd_StateDirOthersCanEnter_AnotherLocalUserCannotReadTheStoredModelNorTheVolumes()
    {
        // Before: models/ and volumes/ were 0755 and the files 0644 under a state dir the daemon made itself (0755):
        // `nobody` read a member's model uploaded from a 0700 folder, and every fetched repository or bucket.
        using var engine = await TestEnvironment.RequireEngineAsync();
        var setpriv = ShellTool.Require("setpriv", "util-linux");
        TestEnvironment.RequireRoot("needs root to act as nobody");
        _daemon = GradientNodeProcess.Prepare().Sibling("daemon");
        await _daemon.StartAsync(extraArgs: []);
        File.SetUnixFileMode(_daemon.Root, File.GetUnixFileMode(_daemon.Root) | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(_daemon.StateDir, (UnixFileMode)0b111_101_101);
        var own = Path.Combine(_daemon.Root, "private-model");
        Directory.CreateDirectory(own, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await File.WriteAllTextAsync(Path.Combine(own, "w.bin"), "private weights\n");

        var added = await _daemon.CliAsync("models", "add", "private", "--from", own);

        Assert.That(added.ExitCode, Is.Zero, added.ToString());
        var stored = Path.Combine(_daemon.StateDir, "models", "private", "1", "w.bin");
        Assert.That(await File.ReadAllTextAsync(stored), Is.EqualTo("private weights\n"), "root reads it");
        var (code, output) = await ShellTool.RunAsync(setpriv, ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "/bin/cat", stored]);
        Assert.That((code, output), Is.Not.EqualTo((0, "private weights\n")));
        Assert.That(output, Does.Contain("Permission denied"));
        foreach (var store in new[] { "models", "volumes", "workflows" })
        {
            Assert.That(File.GetUnixFileMode(Path.Combine(_daemon.StateDir, store)), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute), store);
        }
    }

    [Test]
    public async Task ModelsAdd_OverTheUploadLimitOrSpecialFile_FailsAndAddsNoVersion()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _daemon = GradientNodeProcess.Prepare().Sibling("daemon");
        await _daemon.StartAsync(extraArgs: ["--model-upload-limit", "64K"]);
        var source = Path.Combine(_daemon.Root, "model");
        Directory.CreateDirectory(source);
        await File.WriteAllTextAsync(Path.Combine(source, "small.txt"), "small\n");

        var ok = await _daemon.CliAsync("models", "add", "capped", "--from", source);
        Assert.That(ok.Stdout, Does.Contain("capped:1"), ok.ToString());

        await File.WriteAllBytesAsync(Path.Combine(source, "big.bin"), new byte[200 * 1024]);
        var tooBig = await _daemon.CliAsync("models", "add", "capped", "--from", source);
        Assert.That(tooBig.ExitCode, Is.EqualTo(1), tooBig.ToString());
        Assert.That(tooBig.Stderr, Does.Contain("limit of 65536 bytes").And.Contain("nothing was added"));

        var devices = await _daemon.CliAsync("models", "add", "dev", "--from", "/dev");
        Assert.That(devices.ExitCode, Is.EqualTo(1), devices.ToString());
        Assert.That(devices.Stderr, Does.Contain("only regular files and folders can be uploaded"));

        var versions = Directory.EnumerateFileSystemEntries(Path.Combine(_daemon.StateDir, "models")).Select(Path.GetFileName);
        Assert.That(versions, Is.EqualTo(new[] { "capped" }));
        Assert.That(Directory.EnumerateFileSystemEntries(Path.Combine(_daemon.StateDir, "models", "capped")).Select(Path.GetFileName), Is.EqualTo(new[] { "1" }), "no second version, no partial folder");
    }

    [Test]
    public async Task ModelsAddAndRm_IdWithASlash_RefusedNamingTheIdAsTyped()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _daemon = GradientNodeProcess.Prepare().Sibling("daemon");
        await _daemon.StartAsync(extraArgs: []);
        var source = Path.Combine(_daemon.Root, "model");
        Directory.CreateDirectory(source);
        await File.WriteAllTextAsync(Path.Combine(source, "small.txt"), "small\n");

        var add = await _daemon.CliAsync("models", "add", "../x", "--from", source);
        var rm = await _daemon.CliAsync("models", "rm", "a/b");
        Assert.That((await _daemon.CliAsync("models", "add", "tiny", "--from", source)).ExitCode, Is.Zero);
        var typo = await _daemon.CliAsync("models", "rm", "tny");

        Assert.That(add.ExitCode, Is.EqualTo(1), add.ToString());
        Assert.That(add.Stderr, Does.Contain("model id '../x' is not a valid name"), add.ToString());
        Assert.That(rm.ExitCode, Is.EqualTo(1), rm.ToString());
        Assert.That(rm.Stderr, Does.Contain("no model 'a/b'"), rm.ToString());
        Assert.That(typo.Stderr, Does.Contain("no model 'tny'; did you mean 'tiny'? (gradient-node models ls lists them)"), "before, only no model 'tny'");
        Assert.That(Directory.Exists(Path.Combine(_daemon.StateDir, "x")), Is.False);
    }

    [Test]
    public async Task PostModel_OldServerSidePathBody_400SayingTheClientMustUpload()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _daemon = GradientNodeProcess.Prepare().Sibling("daemon");
        await _daemon.StartAsync(extraArgs: []);

        using var http = _daemon.SocketClient();
        using var response = await http.PostAsync("v1/models/etc", new StringContent("{\"from\": \"/etc\"}", Encoding.UTF8, "application/json"));

        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("tar stream").And.Contain("uploaded by the client"));
        Assert.That(Directory.Exists(Path.Combine(_daemon.StateDir, "models", "etc")), Is.False);
    }
}
