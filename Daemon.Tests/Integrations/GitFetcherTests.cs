using System.Diagnostics;
using GradientNode.Core.Integrations;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.Integrations;

/// <summary>The real git CLI against local repositories made here (no network): option injection, local roots, credential scoping.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class GitFetcherTests
{
    private string _root = null!;
    private string _git = null!;

    [SetUp]
    public async Task SetUp()
    {
        _git = ShellTool.Require("git", "git");
        _root = Directory.CreateTempSubdirectory("gn-gitfetch-").FullName;
        var work = Path.Combine(_root, "repos", "work");
        Directory.CreateDirectory(work);
        await File.WriteAllTextAsync(Path.Combine(work, "README.md"), "hello\n");
        foreach (var args in new[] { "init -q -b main", "add README.md", "-c user.name=t -c user.email=t@example.invalid commit -qm one" })
        {
            var (code, output) = await ShellTool.RunAsync(_git, ["-C", work, .. args.Split(' ')]);
            Assert.That(code, Is.Zero, output);
        }
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private string Repo => Path.Combine(_root, "repos", "work");

    [Test]
    public async Task FetchAsync_RefIsAPathspecFromFileOption_NeverReadsTheFile()
    {
        var marker = Path.Combine(_root, "shadow");
        await File.WriteAllTextAsync(marker, "root-secret-line-7f3a\n");
        var fetcher = new GitFetcher(new GitRemotePolicy([Path.Combine(_root, "repos")]));
        var source = new GitSource("file://" + Repo, "--pathspec-from-file=" + marker, null, null);

        var ex = Assert.ThrowsAsync<IntegrationFetchException>(() => fetcher.FetchAsync(source, Path.Combine(_root, "out"), new FetchProgress(TimeProvider.System), CancellationToken.None));

        Assert.That(ex!.Message, Does.Not.Contain("root-secret-line-7f3a"));
        Assert.That(ex.Message, Does.Contain("a ref may not look like a git option"));
        Assert.That(Directory.Exists(Path.Combine(_root, "out")), Is.False, "refused before cloning");
    }

    [Test]
    public async Task FetchAsync_LocalRemoteInsideARoot_ClonesTheRef()
    {
        var fetcher = new GitFetcher(new GitRemotePolicy([Path.Combine(_root, "repos")]));
        var target = Path.Combine(_root, "out");

        await fetcher.FetchAsync(new GitSource("file://" + Repo, "main", null, null), target, new FetchProgress(TimeProvider.System), CancellationToken.None);

        Assert.That(await File.ReadAllTextAsync(Path.Combine(target, "README.md")), Is.EqualTo("hello\n"));
    }

    [Test]
    public void FetchAsync_LocalRemoteOutsideTheRoots_RefusedNamingTheOptionAndNothingCloned()
    {
        var fetcher = new GitFetcher(new GitRemotePolicy([Path.Combine(_root, "elsewhere")]));
        var target = Path.Combine(_root, "out");

        var ex = Assert.ThrowsAsync<IntegrationFetchException>(() => fetcher.FetchAsync(new GitSource(Repo, null, null, null), target, new FetchProgress(TimeProvider.System), CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("is a local path; local git remotes must lie under a --git-local-root directory"));
        Assert.That(ex.Permanent, Is.True);
        Assert.That(Directory.Exists(target), Is.False);
    }

    [TestCase("https", "git.example.com", false)]
    [TestCase("https", "collector.example.net", true)]
    [TestCase("http", "git.example.com", true)]
    [TestCase("https", "git.example.com:8443", true)]
    public async Task CredentialHelper_AskedByGit_AnswersOnlyForTheRepositorysOwnProtocolAndHost(string protocol, string host, bool refused)
    {
        var source = new GitSource("https://git.example.com/org/repo.git", null, "bot", "tok-9d2c-secret");
        var env = GitFetcher.CredentialEnvironment(source);
        env["GIT_TERMINAL_PROMPT"] = "0";
        env["GIT_ASKPASS"] = "/bin/false";
        env["GIT_CONFIG_NOSYSTEM"] = "1";

        var (_, output) = await RunWithInputAsync(
            [_git, "-c", "credential.helper=", "-c", "credential.helper=" + GitFetcher.Helper, "credential", "fill"],
            $"protocol={protocol}\nhost={host}\npath=org/repo.git\n\n",
            env);

        Assert.That(output.Contains("password=tok-9d2c-secret", StringComparison.Ordinal), Is.EqualTo(!refused), output);
    }

    [Test]
    public void CredentialEnvironment_NoPasswordOrNotHttp_NoCredentialsAndNoHost()
    {
        Assert.That(GitFetcher.CredentialEnvironment(new GitSource("https://h/r.git", null, null, null))["GN_GIT_HOST"], Is.Empty);
        Assert.That(GitFetcher.CredentialEnvironment(new GitSource("ssh://h/r.git", null, "u", "p"))["GN_GIT_PASSWORD"], Is.Empty);
        Assert.That(GitFetcher.CredentialEnvironment(new GitSource("http://127.0.0.1:9418/r.git", null, null, "p"))["GN_GIT_HOST"], Is.EqualTo("127.0.0.1:9418"));
    }

    [Test]
    public void WithoutUserInfo_PasswordInTheUrl_MovesToTheHelperAndLeavesTheArguments()
    {
        var moved = GitFetcher.WithoutUserInfo(new GitSource("https://bot:tok%40x@git.example.com/r.git", null, null, null));

        Assert.That(moved.Url, Is.EqualTo("https://git.example.com/r.git"));
        Assert.That((moved.Username, moved.Password), Is.EqualTo(("bot", "tok@x")));
    }

    private static async Task<(int Code, string Output)> RunWithInputAsync(string[] command, string input, Dictionary<string, string> env)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in command.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in env)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TestTimeouts.Short);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
