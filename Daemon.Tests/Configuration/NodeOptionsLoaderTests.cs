using GradientNode.Daemon.Cli;
using GradientNode.Daemon.Configuration;
using NUnit.Framework;

namespace GradientNode.Tests.Configuration;

[TestFixture]
[Category("Unit")]
internal sealed partial class NodeOptionsLoaderTests
{
    private string _dir = null!;
    private string _emptyConfig = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("gn-options-").FullName;
        _emptyConfig = WriteConfig(string.Empty);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Load_NothingSet_UsesTheDefaults()
    {
        var options = Load(["--config", _emptyConfig]);

        Assert.Multiple(() =>
        {
            Assert.That(options.SpecsDir, Is.EqualTo("/etc/gradient/specs"));
            Assert.That(options.StateDir, Is.EqualTo("/var/lib/gradient"));
            Assert.That(options.RunDir, Is.EqualTo("/run/gradient"));
            Assert.That(options.Socket, Is.EqualTo("/run/gradient/gradient.sock"));
            Assert.That(options.DockerHost, Is.Null);
            Assert.That(options.Listen, Is.EqualTo(new[] { "http://0.0.0.0:8080" }));
            Assert.That(options.Domain, Is.EqualTo("localhost"));
            Assert.That(options.NodeName, Is.EqualTo("default"));
            Assert.That(options.Labels, Is.Empty);
            Assert.That(options.ReadyWait, Is.EqualTo(TimeSpan.FromSeconds(30)));
        });
    }

    [Test]
    public void Load_FlagEnvAndFile_FlagWins()
    {
        var config = WriteConfig("domain: file.example\nnodeName: file-node\n");

        var options = Load(
            ["--config", config, "--domain", "flag.example", "--node-name", "flag-node"],
            new() { ["GRADIENT_DOMAIN"] = "env.example", ["GRADIENT_NODE_NAME"] = "env-node" });

        Assert.That(options.Domain, Is.EqualTo("flag.example"));
        Assert.That(options.NodeName, Is.EqualTo("flag-node"));
    }

    [TestCase("--domain", "GPU1.Example.COM")]
    [TestCase("env", "GPU1.Example.COM")]
    [TestCase("file", "GPU1.Example.COM")]
    public void Load_DomainInCapitals_IsLowerCase(string from, string domain)
    {
        var config = WriteConfig(from == "file" ? $"domain: {domain}\n" : "\n");

        var options = Load(
            from == "--domain" ? ["--config", config, "--domain", domain] : ["--config", config],
            from == "env" ? new() { ["GRADIENT_DOMAIN"] = domain } : null);

        Assert.That(options.Domain, Is.EqualTo("gpu1.example.com"));
    }

    [Test]
    public void Load_EnvAndFile_EnvWins()
    {
        var config = WriteConfig("domain: file.example\ndockerHost: unix:///file.sock\n");

        var options = Load(["--config", config], new() { ["GRADIENT_DOMAIN"] = "env.example", ["GRADIENT_DOCKER_HOST"] = "unix:///env.sock" });

        Assert.That(options.Domain, Is.EqualTo("env.example"));
        Assert.That(options.DockerHost, Is.EqualTo("unix:///env.sock"));
    }

    [Test]
    public void Load_EmptyEnvValue_FallsBackToTheFile()
    {
        var config = WriteConfig("domain: file.example\n");

        var options = Load(["--config", config], new() { ["GRADIENT_DOMAIN"] = "  " });

        Assert.That(options.Domain, Is.EqualTo("file.example"));
    }

    [Test]
    public void Load_FileOnly_FileBeatsDefaults()
    {
        var config = WriteConfig("""
            specsDir: /srv/specs
            stateDir: /srv/state
            runDir: /srv/run
            domain: file.example
            nodeName: file-node
            readyWaitSeconds: "12"
            listen:
              - http://127.0.0.1:81
              - http://127.0.0.1:82
            """);

        var options = Load(["--config", config]);

        Assert.Multiple(() =>
        {
            Assert.That(options.SpecsDir, Is.EqualTo("/srv/specs"));
            Assert.That(options.StateDir, Is.EqualTo("/srv/state"));
            Assert.That(options.RunDir, Is.EqualTo("/srv/run"));
            Assert.That(options.Socket, Is.EqualTo("/srv/run/gradient.sock"));
            Assert.That(options.Domain, Is.EqualTo("file.example"));
            Assert.That(options.NodeName, Is.EqualTo("file-node"));
            Assert.That(options.ReadyWait, Is.EqualTo(TimeSpan.FromSeconds(12)));
            Assert.That(options.Listen, Is.EqualTo(new[] { "http://127.0.0.1:81", "http://127.0.0.1:82" }));
        });
    }

    [Test]
    public void Load_ConfigFromEnv_IsRead()
    {
        var config = WriteConfig("domain: via-env-config\n");

        var options = Load([], new() { ["GRADIENT_CONFIG"] = config });

        Assert.That(options.Domain, Is.EqualTo("via-env-config"));
    }

    [Test]
    public void Load_ConfigFileMissing_ThrowsUsageException()
    {
        Assert.Throws<UsageException>(() => Load(["--config", Path.Combine(_dir, "absent.yaml")]));
    }

    [Test]
    public void Load_ConfigFileNotYaml_ThrowsUsageExceptionWithPosition()
    {
        var config = WriteConfig("domain: [unclosed\n");

        var ex = Assert.Throws<UsageException>(() => Load(["--config", config]));

        Assert.That(ex!.Message, Does.StartWith(config + ":"));
    }

    [Test]
    public void Load_GitLocalRootsAndUploadLimit_FromFlagsEnvAndFile()
    {
        var config = WriteConfig("gitLocalRoots:\n  - /srv/git\n  - /data/repos\nmodelUploadLimit: 10M\n");

        var fromFile = Load(["--config", config]);
        var fromEnv = Load(["--config", config], new() { ["GRADIENT_GIT_LOCAL_ROOTS"] = "/a, /b", ["GRADIENT_MODEL_UPLOAD_LIMIT"] = "2G" });
        var fromFlags = Load(["--config", config, "--git-local-root", "/x", "--git-local-root", "/y/", "--model-upload-limit", "512"]);

        Assert.That(Load(["--config", _emptyConfig]).GitLocalRoots, Is.Empty, "no local git remotes by default");
        Assert.That(Load(["--config", _emptyConfig]).ModelUploadLimit, Is.EqualTo(50L << 30));
        Assert.That((fromFile.GitLocalRoots, fromFile.ModelUploadLimit), Is.EqualTo((new[] { "/srv/git", "/data/repos" }, 10L << 20)));
        Assert.That((fromEnv.GitLocalRoots, fromEnv.ModelUploadLimit), Is.EqualTo((new[] { "/a", "/b" }, 2L << 30)));
        Assert.That((fromFlags.GitLocalRoots, fromFlags.ModelUploadLimit), Is.EqualTo((new[] { "/x", "/y/" }, 512L)));
    }

    [TestCase("0")]
    [TestCase("-5G")]
    [TestCase("lots")]
    [TestCase("99999999999T")]
    public void Load_BadUploadLimit_UsageErrorNamingTheOption(string value)
    {
        var ex = Assert.Throws<UsageException>(() => Load(["--config", _emptyConfig, "--model-upload-limit", value]));

        Assert.That(ex!.Message, Does.Contain("--model-upload-limit"));
    }

    [Test]
    public void Load_ListenFromEnv_SplitsTheCommaList()
    {
        var options = Load(["--config", _emptyConfig], new() { ["GRADIENT_LISTEN"] = "http://0.0.0.0:81, http://0.0.0.0:82,," });

        Assert.That(options.Listen, Is.EqualTo(new[] { "http://0.0.0.0:81", "http://0.0.0.0:82" }));
    }

    [Test]
    public void Load_ListenFlags_ReplaceEnvAndFile()
    {
        var config = WriteConfig("listen: http://file:1\n");

        var options = Load(["--config", config, "--listen", "http://flag:1", "--listen", "http://flag:2"], new() { ["GRADIENT_LISTEN"] = "http://env:1" });

        Assert.That(options.Listen, Is.EqualTo(new[] { "http://flag:1", "http://flag:2" }));
    }

    [Test]
    public void Load_ListenSingleStringInFile_IsOneUrl()
    {
        var options = Load(["--config", WriteConfig("listen: http://file:1\n")]);

        Assert.That(options.Listen, Is.EqualTo(new[] { "http://file:1" }));
    }

    [Test]
    public void Load_LabelsFromFileEnvAndFlags_MergeWithLaterSourcesWinning()
    {
        var config = WriteConfig("labels:\n  a: file\n  b: file\n  c: file\n");

        var options = Load(
            ["--config", config, "--label", "c=flag", "--label=d=flag=x"],
            new() { ["GRADIENT_LABELS"] = "b=env, c=env" });

        Assert.That(options.Labels, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["a"] = "file",
            ["b"] = "env",
            ["c"] = "flag",
            ["d"] = "flag=x",
        }));
        Assert.That(options.Reconciler.ExtraLabels, Is.SameAs(options.Labels));
    }

    [TestCase("novalue")]
    [TestCase("=value")]
    public void Load_BadLabel_ThrowsUsageException(string label)
    {
        var ex = Assert.Throws<UsageException>(() => Load(["--config", _emptyConfig, "--label", label]));

        Assert.That(ex!.Message, Does.Contain(label));
    }

    [Test]
    public void Load_BadLabelInEnv_ThrowsUsageException()
    {
        Assert.Throws<UsageException>(() => Load(["--config", _emptyConfig], new() { ["GRADIENT_LABELS"] = "ok=1,broken" }));
    }

    [Test]
    public void Load_UnknownOption_ThrowsUsageException()
    {
        var ex = Assert.Throws<UsageException>(() => Load(["--config", _emptyConfig, "--speks-dir", "/x"]));

        Assert.That(ex!.Message, Does.Contain("--speks-dir"));
    }

    [Test]
    public void Load_MistypedOption_SuggestsTheRoleOption()
    {
        var ex = Assert.Throws<UsageException>(() => Load(["--config", _emptyConfig, "--lisen", "http://127.0.0.1:8080"]));

        Assert.That(ex!.Message, Is.EqualTo("unknown option --lisen; did you mean '--listen'?"));
    }

    [TestCase("--follow")]
    [TestCase("--version")]
    [TestCase("--password-stdin")]
    public void Load_ValueLessFlagNoRoleKnows_ThrowsUsageExceptionNamingIt(string flag)
    {
        var ex = Assert.Throws<UsageException>(() => Load(["--config", _emptyConfig, flag]));

        Assert.That(ex!.Message, Does.Contain(flag));
    }

    [Test]
    public void Load_RelativeDirs_BecomeAbsolute()
    {
        var options = Load(["--config", _emptyConfig, "--specs-dir", "specs", "--state-dir", "./state", "--run-dir", "run", "--socket", "api.sock"]);

        Assert.Multiple(() =>
        {
            Assert.That(options.SpecsDir, Is.EqualTo(Path.GetFullPath("specs")));
            Assert.That(options.StateDir, Is.EqualTo(Path.GetFullPath("state")));
            Assert.That(options.RunDir, Is.EqualTo(Path.GetFullPath("run")));
            Assert.That(options.Socket, Is.EqualTo(Path.GetFullPath("api.sock")));
            Assert.That(Path.IsPathFullyQualified(options.SpecsDir), Is.True);
        });
    }

    [Test]
    public void Load_RunDirOnly_SocketDefaultsUnderIt()
    {
        var options = Load(["--config", _emptyConfig, "--run-dir", "/tmp/gn-run"]);

        Assert.That(options.SocketPath, Is.Null);
        Assert.That(options.Socket, Is.EqualTo("/tmp/gn-run/gradient.sock"));
    }

    private static NodeOptions Load(string[] args, Dictionary<string, string>? env = null)
    {
        var variables = env ?? [];
        return NodeOptionsLoader.Load(ParsedArgs.Parse(args), name => variables.GetValueOrDefault(name));
    }

    private string WriteConfig(string yaml)
    {
        var path = Path.Combine(_dir, $"node-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
