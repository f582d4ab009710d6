using GradientNode.Core.Export;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.Export;

/// <summary>
/// The exported clone script (init containers, <c>git-checkout@v1</c> tasks) run by <c>sh</c> with the real git against a
/// local repository: every kind of <c>ref</c> the node's own checkout takes; and <see cref="ClaimFetch"/>, which keeps
/// one fetch per source in a claim under <c>--pvc</c>.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class FetchVolumesTests
{
    private string _root = null!;
    private string _git = null!;
    private readonly Dictionary<string, string> _commits = [];

    [SetUp]
    public async Task SetUp()
    {
        _git = ShellTool.Require("git", "git");
        _root = Directory.CreateTempSubdirectory("gn-export-clone-").FullName;
        Directory.CreateDirectory(Repo);
        await GitAsync("init", "-q", "-b", "main");
        foreach (var name in new[] { "one", "two", "three" })
        {
            await File.WriteAllTextAsync(Path.Combine(Repo, "file.txt"), name);
            await GitAsync("add", "file.txt");
            await GitAsync("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", name);
            _commits[name] = (await GitAsync("rev-parse", "HEAD")).Trim();
            if (name == "two")
            {
                await GitAsync("tag", "v2");
                await GitAsync("branch", "feature/two");
            }
        }
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private string Repo => Path.Combine(_root, "repo");

    [TestCase(null, "three")]
    [TestCase("main", "three")]
    [TestCase("v2", "two")]
    [TestCase("feature/two", "two")]
    [TestCase("commit:one", "one")]
    [TestCase("short:one", "one")]
    public async Task GitClone_Ref_ChecksOutThatVersion(string? reference, string expected)
    {
        var target = Path.Combine(_root, "out");
        var gitRef = reference switch
        {
            ['c', 'o', 'm', 'm', 'i', 't', ':', .. var name] => _commits[name],
            ['s', 'h', 'o', 'r', 't', ':', .. var name] => _commits[name][..10],
            _ => reference,
        };

        var (code, output) = await CloneAsync(gitRef, target);

        Assert.That(code, Is.Zero, output);
        Assert.That(await File.ReadAllTextAsync(Path.Combine(target, "file.txt")), Is.EqualTo(expected));
    }

    [Test]
    public async Task GitClone_RefTheRepositoryLacks_Fails()
    {
        var (code, output) = await CloneAsync("no-such-ref", Path.Combine(_root, "out"));

        Assert.That(code, Is.Not.Zero, output);
    }

    [Test]
    public async Task ClaimFetch_TwoPodsInTurn_TheSecondKeepsTheFirstsCloneAndFetchesNothing()
    {
        var claim = Directory.CreateDirectory(Path.Combine(_root, "claim")).FullName;
        var first = await ClaimCloneAsync(claim, "pod-a", "main");
        await File.WriteAllTextAsync(Path.Combine(Repo, "file.txt"), "four");
        await GitAsync("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qam", "four");

        var second = await ClaimCloneAsync(claim, "pod-b", "main");

        Assert.That(first.ExitCode, Is.Zero, first.Output);
        Assert.That(second.ExitCode, Is.Zero, second.Output);
        Assert.That(second.Output, Does.Contain("fetched by an earlier pod, kept"));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(claim, "src-key", "file.txt")), Is.EqualTo("three"), "the kept clone, not a second one");
        Assert.That(Directory.GetFileSystemEntries(claim).Select(Path.GetFileName), Is.EqualTo(new[] { "src-key" }), "no partial folder left");
    }

    [Test]
    public async Task ClaimFetch_FetchFails_NothingKeptAndNoPartialLeft()
    {
        var claim = Directory.CreateDirectory(Path.Combine(_root, "claim")).FullName;

        var (code, output) = await ClaimCloneAsync(claim, "pod-a", "no-such-ref");

        Assert.That(code, Is.Not.Zero, output);
        Assert.That(Directory.GetFileSystemEntries(claim), Is.Empty);
    }

    [Test]
    public async Task ClaimFetch_AnotherPodKeptItFirst_TheirsStaysAndThisCopyIsRemoved()
    {
        var claim = Directory.CreateDirectory(Path.Combine(_root, "claim")).FullName;
        const string RacingFetch = "mkdir -p \"$KEPT\" && echo theirs > \"$KEPT/f\" && echo mine > \"$TARGET/f\"";

        var (code, output) = await ShellTool.RunAsync("/bin/sh", ["-c", ClaimFetch.Script, "sh", "sh", "-c", RacingFetch], ClaimEnv(claim, "pod-a"), _root);

        Assert.That(code, Is.Zero, output);
        Assert.That(await File.ReadAllTextAsync(Path.Combine(claim, "src-key", "f")), Is.EqualTo("theirs\n"));
        Assert.That(Directory.GetFileSystemEntries(claim).Select(Path.GetFileName), Is.EqualTo(new[] { "src-key" }));
    }

    [Test]
    public async Task ClaimFetch_CommandFails_ErrorNamesTheKeptFolderAndExitCode_NoPartialLeft()
    {
        var claim = Directory.CreateDirectory(Path.Combine(_root, "claim")).FullName;

        var (code, output) = await ShellTool.RunAsync("/bin/sh", ["-c", ClaimFetch.Script, "sh", "sh", "-c", "echo half > \"$TARGET/f\"; exit 7"], ClaimEnv(claim, "pod-a"), _root);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(7), output);
            Assert.That(output, Does.Contain($"{Path.Combine(claim, "src-key")}: the fetch failed (exit code 7); its partial copy {Path.Combine(claim, ".partial-src-key-pod-a")} was removed"));
            Assert.That(Directory.GetFileSystemEntries(claim), Is.Empty);
        });
    }

    [Test]
    public async Task ClaimFetch_RenameFailsAndNoOtherCopyKept_FailsInsteadOfSayingFetched()
    {
        var claim = Directory.CreateDirectory(Path.Combine(_root, "claim")).FullName;
        await File.WriteAllTextAsync(Path.Combine(claim, "src-key"), "a file where the folder goes"); // mv -T refuses a folder onto a file

        var (code, output) = await ShellTool.RunAsync("/bin/sh", ["-c", ClaimFetch.Script, "sh", "sh", "-c", "echo x > \"$TARGET/f\""], ClaimEnv(claim, "pod-a"), _root);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Not.Zero, output);
            Assert.That(output, Does.Contain("could not be renamed into place").And.Not.Contain(": fetched"));
            Assert.That(Directory.GetFileSystemEntries(claim).Select(Path.GetFileName), Is.EqualTo(new[] { "src-key" }), "no partial folder left");
        });
    }

    [Test]
    public async Task ClaimFetch_PartialFoldersOfDeadPods_TheOnesUntouchedForAnHourRemovedARunningFetchKept()
    {
        var claim = Directory.CreateDirectory(Path.Combine(_root, "claim")).FullName;
        var abandoned = Directory.CreateDirectory(Path.Combine(claim, ".partial-other-key-pod-x")).FullName;
        await File.WriteAllTextAsync(Path.Combine(abandoned, "half"), "h");
        var running = Directory.CreateDirectory(Path.Combine(claim, ".partial-src-key-pod-y")).FullName;
        var deep = Directory.CreateDirectory(Path.Combine(running, "sub")).FullName;
        await File.WriteAllTextAsync(Path.Combine(deep, "growing"), "g");
        var twoHoursAgo = DateTime.UtcNow.AddHours(-2);
        foreach (var path in new[] { Path.Combine(abandoned, "half"), abandoned, running, deep })
        {
            Directory.SetLastWriteTimeUtc(path, twoHoursAgo); // works for files too
        }

        var (code, output) = await ShellTool.RunAsync("/bin/sh", ["-c", ClaimFetch.Script, "sh", "sh", "-c", "echo x > \"$TARGET/f\""], ClaimEnv(claim, "pod-a"), _root);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero, output);
            Assert.That(output, Does.Contain($"removed an abandoned partial folder (nothing in it changed for an hour): {abandoned}"));
            Assert.That(Directory.GetFileSystemEntries(claim).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { ".partial-src-key-pod-y", "src-key" }),
                "the folder whose file was written a moment ago stays: its pod still fetches");
        });
    }

    private Task<(int ExitCode, string Output)> ClaimCloneAsync(string claim, string pod, string gitRef)
    {
        var env = new Dictionary<string, string>(ClaimEnv(claim, pod))
        {
            ["GIT_URL"] = "file://" + Repo, ["GIT_REF"] = gitRef, ["GIT_USERNAME"] = string.Empty, ["GIT_PASSWORD"] = string.Empty,
        };
        return ShellTool.RunAsync("/bin/sh", ["-c", ClaimFetch.Script, "sh", "sh", "-c", FetchVolumes.GitClone], env, _root);
    }

    /// <summary>The env the exported init container gets (Kubernetes expands <c>$(POD_NAME)</c> in TARGET).</summary>
    private static Dictionary<string, string> ClaimEnv(string claim, string pod) => new()
    {
        ["KEPT"] = Path.Combine(claim, "src-key"), ["TARGET"] = Path.Combine(claim, $".partial-src-key-{pod}"),
    };

    private Task<(int ExitCode, string Output)> CloneAsync(string? gitRef, string target) =>
        ShellTool.RunAsync("/bin/sh", ["-c", FetchVolumes.GitClone], new Dictionary<string, string>
        {
            ["GIT_URL"] = "file://" + Repo, ["GIT_REF"] = gitRef ?? string.Empty, ["TARGET"] = target,
            ["GIT_USERNAME"] = string.Empty, ["GIT_PASSWORD"] = string.Empty,
        }, _root);

    private async Task<string> GitAsync(params string[] args)
    {
        var (code, output) = await ShellTool.RunAsync(_git, ["-C", Repo, .. args]);
        Assert.That(code, Is.Zero, output);
        return output;
    }
}
