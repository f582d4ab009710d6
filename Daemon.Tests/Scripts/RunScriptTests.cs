using System.Diagnostics;
using System.Net;
using GradientNode.Core.Engine;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.Scripts;

/// <summary>
/// README's first command, <c>./run.sh</c>, as a new user runs it: on the test engine (<c>DOCKER_HOST</c>), with the
/// published binary (<c>GRADIENT_NODE_BIN</c>, so that it does not publish again), a free port and its own state
/// folder. It must print the endpoint, serve the example through it, and stop the node on Ctrl-C.
/// </summary>
[TestFixture]
[Category("E2E")]
public sealed class RunScriptTests
{
    private string _home = null!;
    private string _nodeName = null!;
    private Process? _run;

    [SetUp]
    public void SetUp()
    {
        _home = Directory.CreateTempSubdirectory("gn-runsh-").FullName;
        _nodeName = $"runsh-{TestEnvironment.RunId}";
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_home is null)
        {
            return; // SetUp never ran: nothing of this test to clean up
        }

        if (_run is { HasExited: false })
        {
            _run.Kill(entireProcessTree: true);
            await _run.WaitForExitAsync();
        }

        _run?.Dispose();
        try
        {
            using var engine = new DockerEngine(new DockerEngineOptions(TestEnvironment.DockerHost));
            foreach (var container in await engine.ListContainersAsync([$"{ContainerLabels.Node}={_nodeName}"], CancellationToken.None))
            {
                await engine.RemoveContainerAsync(container.Id, force: true, CancellationToken.None);
            }
        }
        catch (EngineUnavailableException)
        {
            // No engine (a filter run without DOCKER_HOST): the test was ignored before it started anything.
        }
        finally
        {
            // Before, the listing threw first and left an empty gn-runsh-* folder in /tmp per run without an engine.
            Directory.Delete(_home, recursive: true);
            _home = null!;
        }
    }

    [Test]
    public async Task RunSh_OnAnEngine_PrintsTheEndpointServesTheExampleAndStopsOnCtrlC()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        var port = GradientNodeProcess.FreePort();
        var output = new OutputLines();
        _run = Start(port, output);

        var ready = await output.WaitForAsync(l => l.StartsWith("==> hello is ready: ", StringComparison.Ordinal), TestTimeouts.Rollout);
        using var http = new HttpClient { Timeout = TestTimeouts.Request };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/");
        request.Headers.Host = $"hello.localhost:{port}";
        using var response = await http.SendAsync(request);
        var containers = await engine.ListContainersAsync([$"{ContainerLabels.Node}={_nodeName}", $"{ContainerLabels.Deployment}=hello"], CancellationToken.None);

        await ShellTool.RunAsync("kill", ["-INT", _run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await _run.WaitForExitAsync().WaitAsync(TestTimeouts.Container);
        var (nodeLeft, stillRunning) = await ShellTool.RunAsync("pgrep", ["-af", "--", $"--state-dir {_home}/state"]);

        Assert.Multiple(() =>
        {
            Assert.That(output.Lines, Has.Some.EqualTo($"Endpoint: http://hello.localhost:{port}/  (try: curl http://hello.localhost:{port}/ ; a summary follows once it answers)"));
            Assert.That(ready, Is.EqualTo($"==> hello is ready: http://hello.localhost:{port}/"));
            Assert.That(output.Lines, Has.Some.Contains($"export GRADIENT_SOCKET={_home}/run/gradient.sock"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), output.Text);
            Assert.That(containers.Count(c => c.State == "running"), Is.EqualTo(2), "examples/specs/hello.yaml asks for 2 replicas");
            Assert.That(_run.ExitCode, Is.EqualTo(130), output.Text);
            Assert.That(nodeLeft, Is.Not.Zero, $"no gradient-node of this run.sh is left running: {stillRunning}");
            // Before: "warning: started with SIGINT ignored …, so Ctrl-C and `kill -INT` will not stop it" at every start.
            Assert.That(output.Text, Does.Not.Contain("SIGINT ignored"));
        });
    }

    [TestCase("", "run-")]
    [TestCase("--node-name lab1", "lab1")]
    public async Task RunSh_NodeName_IsTheCheckoutsOwnUnlessGnUpArgsNamesOne(string upArgs, string expected)
    {
        // Before: run.sh's node was named `default`, as an installed node is, and on /var/run/docker.sock the two removed
        // each other's replicas as orphans (seen by hand: the quick start's node removed another node's deployment).
        using var engine = await TestEnvironment.RequireEngineAsync();
        var fake = Path.Combine(_home, "fake-gradient-node");
        await File.WriteAllTextAsync(fake, "#!/bin/sh\necho \"ARGS: $*\"\n");
        File.SetUnixFileMode(fake, (UnixFileMode)0b111_101_101);
        var output = new OutputLines();
        _run = Start(GradientNodeProcess.FreePort(), output, fake, upArgs);

        await _run.WaitForExitAsync().WaitAsync(TestTimeouts.Rollout);
        var args = output.Lines.Single(l => l.StartsWith("ARGS: ", StringComparison.Ordinal));
        var words = args.Split(' ');
        var at = Array.IndexOf(words, "--node-name");

        Assert.Multiple(() =>
        {
            Assert.That(words.Count(a => a == "--node-name"), Is.EqualTo(1), args);
            Assert.That(at >= 0 && at + 1 < words.Length ? words[at + 1] : null, expected == "run-" ? Does.Match("^run-[0-9a-f]{8}$") : Is.EqualTo(expected), args);
        });
    }

    private Process Start(int port, OutputLines output, string? binary = null, string? upArgs = null)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(ShellTool.RepoRoot(), "run.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ShellTool.RepoRoot(),
        };
        start.Environment["DOCKER_HOST"] = TestEnvironment.DockerHost;
        start.Environment["GRADIENT_NODE_BIN"] = binary ?? GradientNodeProcess.BinaryPath();
        start.Environment["GN_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["GN_RUN_HOME"] = _home;
        start.Environment["GN_UP_ARGS"] = upArgs ?? $"--node-name {_nodeName} --label {TestEnvironment.RunLabelFilter}";
        var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
