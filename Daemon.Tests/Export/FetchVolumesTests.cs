using GradientNode.Core.Export;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.Export;

/// <summary>
/// The exported clone script (init containers, <c>git-checkout@v1</c> tasks) run by <c>sh</c> with the real git against a
/// local repository: every kind of <c>ref</c> the node's own checkout takes.
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
