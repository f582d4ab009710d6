using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Install;

/// <summary>install.sh: shellcheck-clean, and a DESTDIR install (reusing artifacts/bin) checked file by file.</summary>
[TestFixture]
[Category("Install")]
public sealed class InstallScriptTests
{
    private string _dest = null!;

    [SetUp]
    public void SetUp() => _dest = Directory.CreateTempSubdirectory("gn-destdir-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dest, recursive: true);

    [Test]
    public async Task Shellcheck_InstallScript_Clean()
    {
        var shellcheck = ShellTool.Require("shellcheck", "shellcheck");

        var (exitCode, output) = await ShellTool.RunAsync(shellcheck, ["install.sh"]);

        Assert.That(exitCode, Is.Zero, output);
    }

    [Test]
    public async Task Help_PrintsUsage_ExitsZero()
    {
        var (exitCode, output) = await ShellTool.RunAsync(Path.Combine(ShellTool.RepoRoot(), "install.sh"), ["--help"]);

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("--uninstall").And.Contain("DESTDIR"));
    }

    [Test]
    public async Task DestDir_Install_StagesTheLayoutFileByFile()
    {
        var (exitCode, output) = await InstallAsync();

        Assert.That(exitCode, Is.Zero, output);
        AssertMode("opt/gradient-node", "rwxr-xr-x");
        AssertMode("opt/gradient-node/gradient-node", "rwxr-xr-x");
        Assert.That(File.Exists(Path.Combine(_dest, "opt/gradient-node/docs/design/systemd.md")));
        var link = new FileInfo(Path.Combine(_dest, "usr/local/bin/gradient-node"));
        Assert.That(link.LinkTarget, Is.EqualTo("/opt/gradient-node/gradient-node"));
        AssertMode("etc/gradient/specs", "rwxr-xr-x");
        AssertMode("etc/gradient/node.yaml", "rw-r--r--");
        AssertMode("var/lib/gradient", "rwxr-x---");
        AssertMode("etc/systemd/system/gradient-node.service", "rw-r--r--");
        AssertMode("etc/systemd/system/gradient-node-proxy.service", "rw-r--r--");
        AssertMode("etc/systemd/system/gradient-node-proxy.socket", "rw-r--r--");
        AssertMode("etc/systemd/system/gradient-node.socket", "rw-r--r--");
        AssertMode("etc/systemd/system/gradient-node-containers.slice", "rw-r--r--");
        Assert.That(
            await File.ReadAllTextAsync(Path.Combine(_dest, "etc/systemd/system/gradient-node.service")),
            Is.EqualTo(await File.ReadAllTextAsync(Path.Combine(ShellTool.RepoRoot(), "systemd/gradient-node.service"))));
        var yaml = await File.ReadAllLinesAsync(Path.Combine(_dest, "etc/gradient/node.yaml"));
        Assert.That(yaml.Where(l => l.Trim().Length > 0).Where(l => !l.StartsWith('#')), Is.EqualTo(new[] { "listen:", "  - http://0.0.0.0:8080", "  - https://0.0.0.0:8443" }),
            "node.yaml holds commented defaults, and an https listener with the node's own CA");
        AssertMode("var/lib/gradient/tls", "rwxr-xr-x");
        foreach (var kind in (string[])["deployment", "workflow"])
        {
            AssertMode($"usr/share/gradient-node/{kind}.schema.json", "rw-r--r--");
            using var schema = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_dest, $"usr/share/gradient-node/{kind}.schema.json")));
            Assert.That(schema.RootElement.GetProperty("$id").GetString(), Does.EndWith($"/{kind}.schema.json"));
        }

        Assert.That(yaml, Does.Contain("# specsDir: /etc/gradient/specs"));
        var named = string.Join("\n", yaml.Where(l => l.StartsWith('#')));
        Assert.That(
            GradientNode.Daemon.Configuration.NodeConfigFile.KnownKeys.Where(key => !System.Text.RegularExpressions.Regex.IsMatch(named, $@"^#( |.*, ){key}[:,]", System.Text.RegularExpressions.RegexOptions.Multiline)),
            Is.Empty,
            "the template names every setting node.yaml takes (before: 16 of the 40, none of the limits)");
        Assert.That(Directory.GetFileSystemEntries(_dest, "*", SearchOption.TopDirectoryOnly).Select(Path.GetFileName), Is.EquivalentTo(new[] { "opt", "usr", "etc", "var" }), "nothing else is staged");
        AssertEveryInstalledPathNamedExists();
        AssertEachCommentedSettingWorksUncommented(yaml);
        Assert.That(output, Does.Not.Contain("systemctl"), "DESTDIR touches no services");
    }

    [Test]
    public async Task DestDir_SecondRun_KeepsNodeYamlAndSpecs()
    {
        Assert.That((await InstallAsync()).ExitCode, Is.Zero);
        var yaml = Path.Combine(_dest, "etc/gradient/node.yaml");
        await File.WriteAllTextAsync(yaml, "domain: gpu1.internal\n");
        await File.WriteAllTextAsync(Path.Combine(_dest, "etc/gradient/specs/hello.yaml"), "image: x\n");

        var (exitCode, output) = await InstallAsync();

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(await File.ReadAllTextAsync(yaml), Is.EqualTo("domain: gpu1.internal\n"));
        Assert.That(File.Exists(Path.Combine(_dest, "etc/gradient/specs/hello.yaml")));
        Assert.That(Directory.Exists(Path.Combine(_dest, "opt/gradient-node.old")) || Directory.Exists(Path.Combine(_dest, "opt/gradient-node.new")), Is.False);
    }

    [Test]
    public async Task DestDir_Uninstall_KeepsSpecsAndState_PurgeRemovesThem()
    {
        Assert.That((await InstallAsync()).ExitCode, Is.Zero);
        await File.WriteAllTextAsync(Path.Combine(_dest, "etc/gradient/specs/hello.yaml"), "image: x\n");

        var (exitCode, output) = await InstallAsync("--uninstall");

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(Directory.Exists(Path.Combine(_dest, "opt/gradient-node")), Is.False);
        Assert.That(File.Exists(Path.Combine(_dest, "usr/local/bin/gradient-node")), Is.False);
        Assert.That(File.Exists(Path.Combine(_dest, "etc/systemd/system/gradient-node.service")), Is.False);
        Assert.That(File.Exists(Path.Combine(_dest, "etc/systemd/system/gradient-node-proxy.socket")), Is.False);
        Assert.That(File.Exists(Path.Combine(_dest, "etc/systemd/system/gradient-node-containers.slice")), Is.False);
        Assert.That(File.Exists(Path.Combine(_dest, "etc/systemd/system/gradient-node.socket")), Is.False);
        Assert.That(File.Exists(Path.Combine(_dest, "etc/gradient/specs/hello.yaml")));
        Assert.That(File.Exists(Path.Combine(_dest, "etc/gradient/node.yaml")));
        Assert.That(Directory.Exists(Path.Combine(_dest, "var/lib/gradient")));

        (exitCode, output) = await InstallAsync("--uninstall", "--purge");

        Assert.That(exitCode, Is.Zero, output);
        Assert.That(Directory.Exists(Path.Combine(_dest, "etc/gradient")), Is.False);
        Assert.That(Directory.Exists(Path.Combine(_dest, "var/lib/gradient")), Is.False);
    }

    /// <summary>
    /// node.yaml's comments and the units' <c>Documentation=</c> point a user at files under /opt/gradient-node; before,
    /// only docs/design/systemd.md was installed, so endpoints.md and gpus.md, named in node.yaml, were missing.
    /// </summary>
    private void AssertEveryInstalledPathNamedExists()
    {
        var texts = Directory.GetFiles(Path.Combine(_dest, "etc/systemd/system")).Append(Path.Combine(_dest, "etc/gradient/node.yaml"));
        var named = texts
            .SelectMany(file => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(file), @"/opt/gradient-node/[\w./-]*\w")
                .Select(match => (File: Path.GetFileName(file), Path: match.Value)))
            .ToList();
        Assert.That(named.Select(n => n.Path), Does.Contain("/opt/gradient-node/docs/design/gpus.md"), "node.yaml names the GPU document");
        Assert.That(named.Where(n => !Path.Exists(_dest + n.Path)).Select(n => $"{n.File} names {n.Path}"), Is.Empty, "every installed path a unit or node.yaml names is installed");
    }

    /// <summary>
    /// A user uncomments a <c># key: value</c> line of node.yaml to change it. Before, <c>engineConcurrency: "8" (the default …)</c>
    /// then stopped the node with a YAML error, and <c>console: none; …</c> and <c>gitLocalRoots: none; …</c> were values of
    /// the wrong kind or a path named "none; a folder …". Every such line of a key the template does not set, uncommented
    /// (with its indented lines), must load as node.yaml.
    /// </summary>
    private void AssertEachCommentedSettingWorksUncommented(string[] template)
    {
        var set = template.Where(l => !l.StartsWith('#') && l.Contains(':')).Select(l => l.Split(':')[0].Trim()).ToHashSet();
        var uncommented = new List<string>();
        var inKey = false;
        foreach (var line in template)
        {
            var key = System.Text.RegularExpressions.Regex.Match(line, @"\A# ([A-Za-z]+):");
            if (key.Success && GradientNode.Daemon.Configuration.NodeConfigFile.KnownKeys.Contains(key.Groups[1].Value) && !set.Contains(key.Groups[1].Value))
            {
                uncommented.Add(line[2..]);
                inKey = true;
            }
            else if (inKey && line.StartsWith("#   ", StringComparison.Ordinal))
            {
                uncommented.Add(line[2..]);
            }
            else
            {
                inKey = false;
            }
        }

        Assert.That(uncommented, Has.Count.GreaterThanOrEqualTo(40), "the template's commented settings");
        var file = Path.Combine(_dest, "uncommented.yaml");
        File.WriteAllLines(file, uncommented);
        try
        {
            Assert.DoesNotThrow(
                () => GradientNode.Daemon.Configuration.NodeOptionsLoader.Load(GradientNode.Daemon.Cli.ParsedArgs.Parse(["--config", file]), _ => null, () => 8L << 30),
                string.Join("\n", uncommented));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private Task<(int ExitCode, string Output)> InstallAsync(params string[] args)
    {
        var binaryDir = Path.GetDirectoryName(GradientNodeProcess.BinaryPath())!;
        var env = new Dictionary<string, string> { ["DESTDIR"] = _dest, ["GRADIENT_NODE_PUBLISHED"] = binaryDir };
        return ShellTool.RunAsync(Path.Combine(ShellTool.RepoRoot(), "install.sh"), args, env);
    }

    private void AssertMode(string relative, string expected)
    {
        var path = Path.Combine(_dest, relative);
        Assert.That(Path.Exists(path), $"{relative} is missing");
        Assert.That(ToText(File.GetUnixFileMode(path)), Is.EqualTo(expected), relative);
    }

    private static string ToText(UnixFileMode mode)
    {
        char Bit(UnixFileMode flag, char c) => (mode & flag) != 0 ? c : '-';
        return string.Concat(
            Bit(UnixFileMode.UserRead, 'r'), Bit(UnixFileMode.UserWrite, 'w'), Bit(UnixFileMode.UserExecute, 'x'),
            Bit(UnixFileMode.GroupRead, 'r'), Bit(UnixFileMode.GroupWrite, 'w'), Bit(UnixFileMode.GroupExecute, 'x'),
            Bit(UnixFileMode.OtherRead, 'r'), Bit(UnixFileMode.OtherWrite, 'w'), Bit(UnixFileMode.OtherExecute, 'x'));
    }
}
