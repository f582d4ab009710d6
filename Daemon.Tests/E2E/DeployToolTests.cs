using System.Text.Json;
using GradientNode.Core.Engine;
using GradientNode.Core.Status;
using GradientNode.Tests.Cli.Wait;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>The CLI as a deploy tool, through the published binary and the real engine: apply/restart --wait, diff, schema.</summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed partial class DeployToolTests
{
    private const string Stamp = @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ ";
    private DockerEngine _engine = null!;
    private GradientNodeProcess _node = null!;
    private string _scratch = null!;

    [SetUp]
    public async Task SetUp()
    {
        _engine = await TestEnvironment.RequireEngineAsync();
        _node = GradientNodeProcess.Prepare();
        await _node.StartAsync(["--progress-deadline", "20s"]);
        _scratch = Directory.CreateTempSubdirectory("gn-deploy-").FullName;
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null!;
        }

        _engine?.Dispose();
        _engine = null!;
        if (_scratch is not null)
        {
            Directory.Delete(_scratch, recursive: true);
            _scratch = null!;
        }
    }

    [Test]
    public async Task ApplyWait_NewDeploymentPiped_ExitsZeroWithTimestampedLinesAndTheEndpoint()
    {
        var file = await SpecAsync("wait.yaml", SpecYaml.V1("wait app", replicas: 1));

        var result = await _node.CliAsync("apply", "-f", file, "--wait", "--timeout", "2m");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Is.EqualTo($"deployment 'wait app' created ({_node.SpecPath("wait-app.yaml")})"));
            Assert.That(lines.Skip(1), Has.All.Match(Stamp), "one timestamped line per change");
            Assert.That(lines, Has.Some.Match(Stamp + "replica 0: ready$"));
            Assert.That(lines[^1], Does.Match(Stamp + $"rolled out: deployment 'wait app' 1/1 replicas ready at http://wait-app\\.localhost:{_node.Port}/$"));
            Assert.That(result.Stdout, Does.Not.Contain("\u001b["), "no colours or cursor moves in a pipe");
        });
    }

    [Test]
    public async Task ApplyWait_CrashingImage_ExitsOneWithTheExitCode()
    {
        var file = await SpecAsync("crash.yaml", SpecYaml.V1("crash app", replicas: 1, top: "command: [\"/bin/sh\", \"-c\", \"exit 7\"]"));

        var result = await _node.CliAsync("apply", "-f", file, "--wait", "--timeout", "2m");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stdout, Does.Contain("failed: deployment 'crash app': replica 0 crashed: exited with code 7"));
    }

    [Test]
    public async Task ApplyWait_NeverReadyWithTimeout_Exits124AndTheRolloutGoesOn()
    {
        var file = await SpecAsync("slow.yaml", SpecYaml.V1("slow app", replicas: 1, top: "command: [\"/bin/sh\", \"-c\", \"sleep 3600\"]"));

        var result = await _node.CliAsync("apply", "-f", file, "--wait", "--timeout", "3s");

        Assert.That(result.ExitCode, Is.EqualTo(124), result.ToString());
        Assert.That(result.Stdout, Does.Contain("timed out: deployment 'slow app' is not rolled out after 3s; --wait gave up (--timeout 3s), the rollout goes on"));
        Assert.That(File.Exists(_node.SpecPath("slow-app.yaml")), "the spec stays applied");
    }

    [Test]
    public async Task ApplyWait_FirstVersionNeverReady_FailsPastTheProgressDeadlineAndKeepsTrying()
    {
        var file = await SpecAsync("deaf.yaml", SpecYaml.V1("deaf app", replicas: 1, top: "command: [\"/bin/sh\", \"-c\", \"sleep 3600\"]"));

        var result = await _node.CliAsync("apply", "-f", file, "--wait", "--timeout", "3m");
        var ls = await _node.CliAsync("ls");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
            Assert.That(result.Stdout, Does.Contain("failed: deployment 'deaf app': no replica became ready within the progress deadline (20 s), still trying: 0/1 replicas ready; replica 0 not ready: port 8080 refuses connections"));
            Assert.That(ls.Stdout, Does.Contain("Failed"), ls.ToString());
        });
    }

    [Test]
    public async Task ApplyWait_FixingAFileThatWasNeverValid_WaitsForTheFixedVersionNotTheOldErrors()
    {
        await File.WriteAllTextAsync(_node.SpecPath("fix-me.yaml"), "name: fix me\nimage: " + TestEnvironment.WebImage + "\n");
        await _node.WaitForStatusAsync("fix me", s => s.State == DeploymentState.Invalid, "Invalid");
        var file = await SpecAsync("fixed.yaml", SpecYaml.V1("fix me", replicas: 1));

        var result = await _node.CliAsync("apply", "-f", file, "--wait", "--timeout", "2m");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("rolled out: deployment 'fix me' 1/1 replicas ready"), result.ToString());
    }

    [Test]
    public async Task ApplyWait_NewVersionNeedsAMissingSecret_ExitsOneNamingItWhileTheOldVersionServes()
    {
        var v1 = await SpecAsync("keyed.yaml", SpecYaml.V1("keyed app", replicas: 1));
        Assert.That((await _node.CliAsync("apply", "-f", v1, "--wait", "--timeout", "2m")).ExitCode, Is.Zero);
        var v2 = await SpecAsync("keyed2.yaml", SpecYaml.V1("keyed app", replicas: 1, extra: "env:\n  - name: API_KEY\n    value: secret:never-set"));

        var result = await _node.CliAsync("apply", "-f", v2, "--wait", "--timeout", "2m");
        var status = await _node.StatusAsync("keyed app");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), "before, --wait ran to its timeout: " + result);
            Assert.That(result.Stdout, Does.Contain("failed: deployment 'keyed app': env[API_KEY] refers to secret 'never-set', which does not exist (create it: gradient-node secrets set never-set)"));
            Assert.That(status!.State, Is.EqualTo(DeploymentState.Degraded));
            Assert.That(status.ReadyReplicas, Is.EqualTo(1), "the old version keeps serving");
        });
    }

    [Test]
    public async Task RestartWait_ReadyDeployment_ExitsZeroOnTheNewVersion()
    {
        var file = await SpecAsync("re.yaml", SpecYaml.V1("re app", replicas: 1));
        Assert.That((await _node.CliAsync("apply", "-f", file, "--wait", "--timeout", "2m")).ExitCode, Is.Zero);
        var before = (await _node.StatusAsync("re app"))!.SpecHash;

        var result = await _node.CliAsync("restart", "re app", "--wait", "--timeout", "2m");
        var noWait = await _node.CliAsync("restart", "re app");

        Assert.That(noWait.Stdout, Is.EqualTo("deployment 're app' restarting (generation 2)\n"), "a tagged image without containerRegistry is not pulled again: nothing more to say");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("rolled out: deployment 're app'"));
        Assert.That((await _node.StatusAsync("re app"))!.SpecHash, Is.Not.EqualTo(before));
    }

    [Test]
    public async Task Diff_EachKindOfChange_PrintsThePlanAndTheExitCode()
    {
        var file = await SpecAsync("d.yaml", SpecYaml.V1("diff app", replicas: 1));

        var fresh = await _node.CliAsync("diff", "-f", file);
        Assert.That(fresh.ExitCode, Is.EqualTo(1), fresh.ToString());
        Assert.That(fresh.Stdout, Does.Contain("--- /dev/null").And.Contain("new deployment 'diff app': start replica 0"));

        Assert.That((await _node.CliAsync("apply", "-f", file, "--wait", "--timeout", "2m")).ExitCode, Is.Zero);
        var same = await _node.CliAsync("diff", "-f", file);
        Assert.That(same.ExitCode, Is.Zero, same.ToString());
        Assert.That(same.Stdout, Is.EqualTo("plan:\n  no change\n"));

        var more = await SpecAsync("d2.yaml", SpecYaml.V1("diff app", replicas: 2));
        var scaled = await _node.CliAsync("diff", "-f", more);
        Assert.That(scaled.ExitCode, Is.EqualTo(1), scaled.ToString());
        Assert.That(scaled.Stdout, Does.Contain("-  replicas: 1\n+  replicas: 2\n").And.Contain("  replicas 1 → 2: start replica 1\n"));

        var image = await SpecAsync("d3.yaml", SpecYaml.V1("diff app", replicas: 1, image: TestEnvironment.WebImage2));
        var rolled = await _node.CliAsync("apply", "--dry-run", "-f", image);
        Assert.That(rolled.ExitCode, Is.EqualTo(1), rolled.ToString());
        Assert.That(rolled.Stdout, Does.Contain($"image {TestEnvironment.WebImage} → {TestEnvironment.WebImage2}: roll out 1 replica"));

        var auth = await SpecAsync("d4.yaml", SpecYaml.V1("diff app", replicas: 1, top: "basicAuthKey: secret:diff-auth"));
        var protect = await _node.CliAsync("diff", "-f", auth);
        Assert.That(protect.Stdout, Does.Contain("basicAuthKey added: endpoint becomes protected"));

        var gpu = await SpecAsync("d5.yaml", SpecYaml.V1("diff app", replicas: 1).Replace("machineType: C4", "machineType: A100", StringComparison.Ordinal));
        var wait = await _node.CliAsync("diff", "-f", gpu);
        Assert.That(wait.Stdout, Does.Contain("machineType C4 → A100: needs 1 GPU per replica, 0 free: replicas will wait"));

        var bad = await SpecAsync("bad.yaml", "apiVersion: v1\nname: diff app\nimage: x\nresources:\n  machineType: C4\n  ports: [0]\n");
        var error = await _node.CliAsync("diff", "-f", bad);
        Assert.That(error.ExitCode, Is.EqualTo(2), error.ToString());
        Assert.That(error.Stderr, Does.Contain($"{bad}:6:"));
        Assert.That((await _node.StatusAsync("diff app"))!.DesiredReplicas, Is.EqualTo(1), "diff and --dry-run change nothing");
    }

    [Test]
    public async Task Schema_DeploymentAndWorkflow_PrintTheirJsonSchemas()
    {
        var deployment = await _node.CliAsync("schema", "deployment");
        var workflow = await _node.CliAsync("schema", "workflow");
        var unknown = await _node.CliAsync("schema", "pipeline");

        Assert.That(deployment.ExitCode, Is.Zero, deployment.ToString());
        using var json = JsonDocument.Parse(deployment.Stdout);
        Assert.That(json.RootElement.GetProperty("$schema").GetString(), Is.EqualTo("http://json-schema.org/draft-07/schema#"));
        Assert.That(workflow.ExitCode, Is.Zero, workflow.ToString());
        using var workflowJson = JsonDocument.Parse(workflow.Stdout);
        Assert.That(workflowJson.RootElement.GetProperty("$id").GetString(), Does.EndWith("/workflow.schema.json"));
        Assert.That(workflowJson.RootElement.GetProperty("properties").GetProperty("jobs").GetProperty("description").GetString(), Does.Contain("Jobs"));
        Assert.That(unknown.ExitCode, Is.EqualTo(2), unknown.ToString());
    }

    [Test]
    public async Task ApplyWait_UnderAPseudoTerminal_DrawsTheLiveBlock()
    {
        var file = await SpecAsync("tty.yaml", SpecYaml.V1("tty app", replicas: 1));
        var (exitCode, written) = await UnderScriptAsync(file, noColor: false);

        Assert.That(exitCode, Is.Zero, written);
        Assert.That(written, Does.Contain("\u001b[32m"), "colours on a terminal");
        var screen = TerminalScreen.Render(written);
        Assert.That(screen[^1], Is.EqualTo($"rolled out: deployment 'tty app' 1/1 replicas ready at http://tty-app.localhost:{_node.Port}/"), string.Join("\n", screen));
        Assert.That(screen, Does.Contain("replica 0    ready"));
        Assert.That(screen, Does.Contain($"endpoint     http://tty-app.localhost:{_node.Port}/"));
    }

    private async Task<string> SpecAsync(string name, string yaml)
    {
        var file = Path.Combine(_scratch, name);
        await File.WriteAllTextAsync(file, yaml);
        return file;
    }
}
