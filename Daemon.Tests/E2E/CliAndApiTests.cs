// Over 300 lines: the client verbs against one published daemon, sharing its node and deployment; each test is one verb family.
using System.Net;
using GradientNode.Core.Engine;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>The client verbs and the unix-socket API of the published binary.</summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class CliAndApiTests
{
    private DockerEngine _engine = null!;
    private GradientNodeProcess _node = null!;
    private string _scratch = null!;

    [SetUp]
    public async Task SetUp()
    {
        _engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        _scratch = Directory.CreateTempSubdirectory("gn-cli-").FullName;
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
    public async Task Validate_InvalidFile_ExitsOneWithFileLineColumn()
    {
        var file = Path.Combine(_scratch, "bad.yaml");
        await File.WriteAllTextAsync(file, "apiVersion: v1\nname: x\nimage: y\nresources:\n  machineType: C4\n  ports: [0]\n  replicaz: 1\n");

        var result = await _node.CliAsync("validate", file);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stderr, Does.Contain($"{file}:6:").And.Contain($"{file}:7:3: ").And.Contain("replicas"));
    }

    [Test]
    public async Task Validate_ValidFile_ExitsZero()
    {
        var file = Path.Combine(_scratch, "ok.yaml");
        await File.WriteAllTextAsync(file, SpecYaml.V1("fine"));

        var result = await _node.CliAsync("validate", file);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("ok"));
    }

    [Test]
    public async Task Validate_FilesGivenWithDashF_CheckedAsArgumentsAre()
    {
        var good = Path.Combine(_scratch, "ok.yaml");
        await File.WriteAllTextAsync(good, SpecYaml.V1("fine"));
        var bad = Path.Combine(_scratch, "bad.yaml");
        await File.WriteAllTextAsync(bad, "apiVersion: v1\nname: x\nimage: y\nresources:\n  machineType: C4\n  ports: [0]\n");

        var both = await _node.CliAsync("validate", "-f", good, "--filename", bad);
        var unknown = await _node.CliAsync("validate", "--strict", good);

        Assert.Multiple(() =>
        {
            Assert.That(both.ExitCode, Is.EqualTo(1), both.ToString());
            Assert.That(both.Stdout, Does.Contain($"{good}: ok"), "-f takes the file, as apply, diff and export do");
            Assert.That(both.Stderr, Does.Contain($"{bad}:6:"));
            Assert.That(unknown.ExitCode, Is.EqualTo(2), unknown.ToString());
            Assert.That(unknown.Stderr, Does.Contain("validate does not take --strict"), "an option it does not know is not taken for a file");
        });
    }

    [Test]
    public async Task Apply_InvalidSpec_ExitsOneAndWritesNothing()
    {
        var file = Path.Combine(_scratch, "bad.yaml");
        await File.WriteAllTextAsync(file, "apiVersion: v1\nname: nope\nimage: x\nresources:\n  machineType: C4\n  ports: [8080]\n  replicas: -1\n");

        var result = await _node.CliAsync("apply", "-f", file);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stderr, Does.Contain($"{file}:7:"));
        Assert.That(Directory.EnumerateFiles(_node.SpecsDir), Is.Empty);
    }

    [Test]
    public async Task ApplyGetLogsDelete_RoundTrip_WorksThroughTheSocket()
    {
        var file = Path.Combine(_scratch, "app.yaml");
        await File.WriteAllTextAsync(file, SpecYaml.V1("cli app", replicas: 1, top: "command: [\"/bin/sh\", \"-c\", \"echo hello-from-replica; exec /bin/serve\"]"));

        var apply = await _node.CliAsync("apply", "-f", file);
        Assert.That(apply.ExitCode, Is.Zero, apply.ToString());
        Assert.That(apply.Stdout, Does.Contain("deployment 'cli app' created"));
        Assert.That(File.Exists(_node.SpecPath("cli-app.yaml")), Is.True);
        await _node.WaitForStatusAsync("cli app", s => s.State == DeploymentState.Ready, "Ready");

        var ls = await _node.CliAsync("ls");
        Assert.That(ls.Stdout, Does.Contain("cli app").And.Contain("Ready").And.Contain("1/1"));
        var yaml = await _node.CliAsync("get", "cli-app", "-o", "yaml");
        Assert.That(yaml.Stdout, Does.Contain("state: Ready").And.Contain("readyReplicas: 1"));
        await TestTimeouts.WaitUntilAsync(
            async () => (await _node.CliAsync("logs", "cli app", "--tail", "10")).Stdout.Contains("hello-from-replica", StringComparison.Ordinal),
            TestTimeouts.Short,
            "the replica's output in logs");
        var stamped = await _node.CliAsync("logs", "cli app", "-t");
        Assert.That(stamped.Stdout.Split('\n'), Has.Some.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z hello-from-replica$"), stamped.ToString());

        var reapply = await _node.CliAsync("apply", "-f", file);
        Assert.That(reapply.Stdout, Does.Contain("configured"));

        // A typo of a name is answered with the deployment meant (before: only "no deployment 'cli ap' on this node").
        var typoLogs = await _node.CliAsync("logs", "cli ap");
        var typoScale = await _node.CliAsync("scale", "cli-ap", "2");
        Assert.That(typoLogs.Stderr, Does.Contain("no deployment 'cli ap' on this node; did you mean 'cli-app'?"), typoLogs.ToString());
        Assert.That(typoScale.Stderr, Does.Contain("no deployment 'cli-ap' on this node; did you mean 'cli-app'?"), typoScale.ToString());

        // A deployment whose spec file has errors exists (ls lists it Invalid): restart says what is wrong, not "no deployment".
        await _node.WriteSpecAsync("broken.yaml", "apiVersion: v1\nname: broken\nimage: [\n");
        await _node.WaitForStatusAsync("broken", s => s.State == DeploymentState.Invalid, "Invalid");
        var restartBroken = await _node.CliAsync("restart", "broken");
        Assert.That(restartBroken.ExitCode, Is.EqualTo(1), restartBroken.ToString());
        Assert.That(restartBroken.Stderr, Does.Contain("the spec file of 'broken' has errors").And.Not.Contain("no deployment"), restartBroken.ToString());

        var delete = await _node.CliAsync("delete", "cli app");
        Assert.That(delete.ExitCode, Is.Zero, delete.ToString());
        await TestTimeouts.WaitUntilAsync(async () => (await _node.ContainersAsync(_engine, "cli-app", runningOnly: false)).Count == 0, TestTimeouts.Container, "containers removed");
        var missing = await _node.CliAsync("get", "cli app");
        Assert.That(missing.ExitCode, Is.EqualTo(1));
        Assert.That(missing.Stderr, Does.Contain("no deployment 'cli app'"));
    }

    [Test]
    public async Task Logs_UnknownNameBadTailOrUnknownVerb_SaysWhichWithItsExitCode()
    {
        var unknown = await _node.CliAsync("logs", "nosuch");
        var badTail = await _node.CliAsync("logs", "nosuch", "--tail", "abc");
        var badVerb = await _node.CliAsync("deploy", "-f", "app.yaml");

        Assert.That(unknown.ExitCode, Is.EqualTo(1), unknown.ToString());
        Assert.That(unknown.Stderr.Trim(), Is.EqualTo("error: no deployment 'nosuch' on this node"));
        Assert.That(badTail.ExitCode, Is.EqualTo(2), badTail.ToString());
        Assert.That(badTail.Stderr, Does.Contain("--tail takes a whole number (0 or more), not 'abc'"));
        Assert.That(badVerb.ExitCode, Is.EqualTo(2), badVerb.ToString());
        Assert.That(badVerb.Stderr, Does.Contain("unknown verb 'deploy'"));
    }

    [Test]
    public async Task Scale_AboveAutoscalingMaxReplicas_Returns409NamingTheRuleAndLeavesTheFile()
    {
        var yaml = SpecYaml.V1("scaled", replicas: 0, extra: "  autoscaling:\n    enabled: false\n    maxReplicas: 2\n    metrics:\n      - metric: cpu\n        value: 50\n");
        await _node.WriteSpecAsync("scaled.yaml", yaml);
        await _node.WaitForStatusAsync("scaled", s => s.Errors.Count == 0, "the spec read");

        using var http = _node.SocketClient();
        using var response = await http.PostAsync("v1/deployments/scaled/scale?replicas=5", null);
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), body);
        Assert.That(body, Does.Contain("was not changed: with this change (scaled to 5 replicas) the spec would be invalid; resources.replicas may not pass resources.autoscaling.maxReplicas (2) (even with autoscaling off): scale to at most 2"));
        Assert.That(body, Does.Not.Contain("flow-style"));
        Assert.That(await File.ReadAllTextAsync(_node.SpecPath("scaled.yaml")), Is.EqualTo(yaml));
    }

    [Test]
    public async Task PutDeployment_InvalidBody_Returns400WithErrors()
    {
        using var http = _node.SocketClient();
        using var response = await http.PutAsync("v1/deployments/x", new StringContent("apiVersion: v1\nname: x\nimage: [\n"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(body, Does.Contain("\"errors\"").And.Contain("x.yaml:"));
    }

    [Test]
    public async Task PutDeployment_NameMismatch_Returns400()
    {
        using var http = _node.SocketClient();
        using var response = await http.PutAsync("v1/deployments/other", new StringContent(SpecYaml.V1("mine")));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Directory.EnumerateFiles(_node.SpecsDir), Is.Empty);
    }

    [Test]
    public async Task Socket_DaemonStarted_IsOwnerAndGroupOnly()
    {
        var mode = File.GetUnixFileMode(_node.Socket);
        Assert.That(mode & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute), Is.EqualTo(UnixFileMode.None));
        Assert.That(mode.HasFlag(UnixFileMode.GroupWrite), Is.True);
        await Task.CompletedTask;
    }

    [Test]
    public async Task Cli_DaemonNotRunning_ExitsThreeWithHint()
    {
        await _node.StopAsync();

        var result = await _node.CliAsync("ls");

        Assert.That(result.ExitCode, Is.EqualTo(3), result.ToString());
        Assert.That(result.Stderr, Does.Contain(_node.Socket).And.Contain("Is the daemon running"));
    }

    [Test]
    public async Task Node_TextJsonYamlAndBadFormat_ReportsEngineAndGpuSupport()
    {
        var result = await _node.CliAsync("node");
        var json = await _node.CliAsync("node", "-o", "json");
        var yaml = await _node.CliAsync("node", "-o", "yaml");
        var xml = await _node.CliAsync("node", "-o", "xml");

        Assert.That(yaml.ExitCode, Is.Zero, yaml.ToString());
        Assert.That(yaml.Stdout, Does.Contain("\nengine:\n").And.Contain("\n  reachable: true\n").And.Contain("\ndisk:\n"), "before: a usage error, json only");
        Assert.That(xml.ExitCode, Is.EqualTo(2), xml.ToString());
        Assert.That(xml.Stderr, Does.Contain("-o takes json, yaml or text, not 'xml'"));
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("\nEngine:      Docker ").And.Contain("\nRuntimes:    ").And.Contain("GPUs:        none (no nvidia-smi on PATH: this is a CPU box"));
        Assert.That(result.Stdout, Does.Not.Contain("\\u002B").And.Not.Contain("{"));
        Assert.That(json.ExitCode, Is.Zero, json.ToString());
        Assert.That(json.Stdout, Does.Contain("\"reachable\": true").And.Not.Contain("\\u002B"));
        Assert.That(result.Stdout, Does.Contain("\nMachine:     ").And.Contain("\nDisk:        images "));
        using var doc = System.Text.Json.JsonDocument.Parse(json.Stdout);
        Assert.That(doc.RootElement.GetProperty("disk").GetProperty("images").GetInt64(), Is.GreaterThan(100_000), "the busybox-based test images' bytes");
    }

    [Test]
    public async Task Diff_SpecOnStandardInput_LabelledStdinInTheDiffHeader()
    {
        var result = await _node.CliWithInputAsync(SpecYaml.V1("stdin app"), "diff", "-f", "-");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stdout, Does.Contain("--- /dev/null\n+++ <stdin>\n"), "not '+++ -'");
    }

    [Test]
    public async Task Up_ListenOnPortZero_EndpointShowsTheBoundPortWhichServesTheDeployment()
    {
        await using var node = GradientNodeProcess.Prepare(port: 0);
        await node.StartAsync(extraArgs: []);
        await node.WriteSpecAsync("zero.yaml", SpecYaml.V1("zero", replicas: 1));

        var ready = await node.WaitForStatusAsync("zero", s => s.State == DeploymentState.Ready, "ready");
        var json = await node.CliAsync("node", "-o", "json");

        var match = System.Text.RegularExpressions.Regex.Match(ready.Endpoint ?? string.Empty, @"^http://zero\.localhost:(\d+)/$");
        Assert.That(match.Success, Is.True, $"endpoint {ready.Endpoint}");
        var port = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(port, Is.Not.Zero);
        Assert.That(json.Stdout, Does.Contain($"\"http://127.0.0.1:{port}/\""), json.ToString());
        Assert.That(node.Output, Does.Contain($"deployment NAME answers at http://NAME.localhost:{port}/"));
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/");
        request.Headers.Host = $"zero.localhost:{port}";
        using var response = await http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Up_SecondDaemonOnTheSameSocket_RefusesToStart()
    {
        var second = await _node.CliAsync("up", "--run-dir", _node.RunDir, "--specs-dir", _node.SpecsDir, "--state-dir", _node.StateDir, "--listen", "http://127.0.0.1:0");

        Assert.That(second.ExitCode, Is.EqualTo(1), second.ToString());
        Assert.That(second.Stderr, Does.Contain("already serving"));
    }

    [Test]
    public async Task Up_SecondNodeOfTheSameNameOnTheSameEngine_RefusesToStartNamingTheFirstOnesPid()
    {
        // Its own folders, socket and port, but the first node's name and engine: the two would remove each other's replicas.
        var root = Directory.CreateTempSubdirectory("gn-samename-").FullName;
        try
        {
            var second = await _node.CliAsync("up", "--run-dir", Path.Combine(root, "run"), "--specs-dir", Path.Combine(root, "specs"),
                "--state-dir", Path.Combine(root, "state"), "--socket", Path.Combine(root, "run", "gradient.sock"), "--listen", "http://127.0.0.1:0",
                "--node-name", _node.NodeName, "--docker-host", TestEnvironment.DockerHost);

            Assert.That(second.ExitCode, Is.EqualTo(1), second.ToString());
            Assert.That(second.Stderr, Does.Contain($"another gradient-node (pid {_node.Pid}) already runs node '{_node.NodeName}' on the engine {TestEnvironment.DockerHost}")
                .And.Contain("--node-name"), second.ToString());
            var ls = await _node.CliAsync("ls");
            Assert.That(ls.ExitCode, Is.Zero, "the first node still answers: " + ls);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public async Task Up_ListenPortTaken_SaysSoInOneLineWithoutAStack()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var root = Directory.CreateTempSubdirectory("gn-taken-").FullName;
        try
        {
            var up = await _node.CliAsync("up", "--run-dir", Path.Combine(root, "run"), "--specs-dir", Path.Combine(root, "specs"),
                "--state-dir", Path.Combine(root, "state"), "--socket", Path.Combine(root, "run", "gradient.sock"), "--listen", $"http://127.0.0.1:{port}");

            Assert.That(up.ExitCode, Is.Not.Zero, up.ToString());
            Assert.That(up.Stderr, Does.Contain($"Failed to bind to address http://127.0.0.1:{port}: address already in use: another program (or another gradient-node) listens there; find it with `ss -ltnp 'sport = :{port}'`"), up.ToString());
            Assert.That(up.Stdout + up.Stderr, Does.Not.Contain("Hosting failed to start").And.Not.Contain("   at "), "the reason once, not a stack trace logged before it");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
