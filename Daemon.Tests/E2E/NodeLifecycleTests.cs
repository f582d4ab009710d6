using System.Net;
using GradientNode.Core.Engine;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>The published <c>gradient-node up</c> against the real Docker engine: specs in the directory become replicas.</summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class NodeLifecycleTests
{
    private DockerEngine _engine = null!;
    private GradientNodeProcess _node = null!;

    [SetUp]
    public async Task SetUp()
    {
        _engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
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
    }

    [Test]
    public async Task Up_V1SpecWithTwoReplicas_RunsTwoLabeledReadyContainers()
    {
        await _node.WriteSpecAsync("web.yaml", SpecYaml.V1("my cool deployment", replicas: 2));

        var status = await _node.WaitForStatusAsync("my cool deployment", s => s.State == DeploymentState.Ready, "Ready");

        Assert.That(status.Slug, Is.EqualTo("my-cool-deployment"));
        Assert.That(status.ReadyReplicas, Is.EqualTo(2));
        Assert.That(status.Endpoint, Is.EqualTo($"http://my-cool-deployment.localhost:{_node.Port}/"));
        Assert.That(status.SpecFile, Is.EqualTo(_node.SpecPath("web.yaml")));
        var containers = await _node.ContainersAsync(_engine, "my-cool-deployment");
        Assert.That(containers, Has.Count.EqualTo(2));
        Assert.That(containers.Select(c => c.Labels["gradient.replica"]), Is.EquivalentTo(new[] { "0", "1" }));
        Assert.That(containers.Select(c => c.Labels["gradient.spec-hash"]).Distinct().Single(), Is.EqualTo(status.SpecHash));
        Assert.That(containers.Select(c => c.Name), Has.All.Match("^gradient-my-cool-deployment-[01]-[0-9a-f]{6}$"));
        Assert.That(containers.Select(c => c.Labels[TestEnvironment.RunLabel]), Has.All.EqualTo(TestEnvironment.RunId));

        var json = await _node.CliAsync("get", "my cool deployment", "-o", "json");
        Assert.That(json.ExitCode, Is.Zero, json.ToString());
        Assert.That(json.Stdout, Does.Contain("\"readyReplicas\": 2").And.Contain("\"state\": \"Ready\""));
    }

    [Test]
    public async Task Up_LegacySpecWithoutName_RunsUnderItsFileStem()
    {
        await _node.WriteSpecAsync("legacy-app.yml", SpecYaml.Legacy(replicas: 1));

        var status = await _node.WaitForStatusAsync("legacy-app", s => s.State == DeploymentState.Ready, "Ready");

        Assert.That(status.Name, Is.EqualTo("legacy-app"));
        Assert.That(status.Replicas.Single().Address, Does.EndWith(":8080"));
        await _node.WaitForRouteAsync("legacy-app");
        using var http = new HttpClient();
        using var response = await http.SendAsync(_node.ProxyRequest("legacy-app", "/cgi-bin/env"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("GREETING=hi"));
    }

    [Test]
    public async Task Up_ScaleTwoToThree_AddsOneWithoutTouchingTheOthers()
    {
        await _node.WriteSpecAsync("web.yaml", SpecYaml.V1("scale", replicas: 2));
        await _node.WaitForStatusAsync("scale", s => s.State == DeploymentState.Ready, "Ready with 2");
        var before = (await _node.ContainersAsync(_engine, "scale")).Select(c => c.Id).ToHashSet();

        await _node.WriteSpecAsync("web.yaml", SpecYaml.V1("scale", replicas: 3));
        await _node.WaitForStatusAsync("scale", s => s.State == DeploymentState.Ready && s.ReadyReplicas == 3, "Ready with 3");

        var after = (await _node.ContainersAsync(_engine, "scale")).Select(c => c.Id).ToHashSet();
        Assert.That(after, Has.Count.EqualTo(3));
        Assert.That(before.IsSubsetOf(after), Is.True, "the first two replicas must be the same containers");
    }

    [Test]
    public async Task Up_InvalidEdit_KeepsReplicasAndReportsFileLineColumn()
    {
        await _node.WriteSpecAsync("web.yaml", SpecYaml.V1("keep", replicas: 2));
        await _node.WaitForStatusAsync("keep", s => s.State == DeploymentState.Ready, "Ready");
        var before = (await _node.ContainersAsync(_engine, "keep")).Select(c => c.Id).Order().ToList();

        var broken = SpecYaml.V1("keep", replicas: 2).Replace("replicas: 2", "replicas: two", StringComparison.Ordinal);
        await _node.WriteSpecAsync("web.yaml", broken);
        var status = await _node.WaitForStatusAsync("keep", s => s.Errors.Count > 0, "errors reported");

        var lines = broken.Split('\n');
        var line = Array.FindIndex(lines, l => l.Contains("replicas: two", StringComparison.Ordinal)) + 1;
        var column = lines[line - 1].IndexOf("two", StringComparison.Ordinal) + 1;
        Assert.That(status.Errors.Single(), Does.StartWith($"{_node.SpecPath("web.yaml")}:{line}:{column}: ").And.Contain("resources.replicas"));
        Assert.That(status.State, Is.EqualTo(DeploymentState.Ready));
        Assert.That(status.Message, Does.Contain("last good version keeps running"));
        var after = (await _node.ContainersAsync(_engine, "keep")).Select(c => c.Id).Order().ToList();
        Assert.That(after, Is.EqualTo(before));
    }

    [Test]
    public async Task Up_EnabledFalse_StopsReplicasAndShowsDisabled()
    {
        await _node.WriteSpecAsync("web.yaml", SpecYaml.V1("off", replicas: 2));
        await _node.WaitForStatusAsync("off", s => s.State == DeploymentState.Ready, "Ready");

        await _node.WriteSpecAsync("web.yaml", SpecYaml.V1("off", replicas: 2, top: "enabled: false"));
        var status = await _node.WaitForStatusAsync("off", s => s.State == DeploymentState.Disabled, "Disabled");

        Assert.That(status.DesiredReplicas, Is.Zero);
        Assert.That(await _node.ContainersAsync(_engine, "off", runningOnly: false), Is.Empty);
        await _node.WaitForRouteAsync("off", code => code == HttpStatusCode.ServiceUnavailable);
    }

    [Test]
    public async Task Up_SpecFileDeleted_RemovesItsContainers()
    {
        await _node.WriteSpecAsync("web.yaml", SpecYaml.V1("gone", replicas: 2));
        await _node.WaitForStatusAsync("gone", s => s.State == DeploymentState.Ready, "Ready");

        File.Delete(_node.SpecPath("web.yaml"));

        await TestTimeouts.WaitUntilAsync(async () => (await _node.ContainersAsync(_engine, "gone", runningOnly: false)).Count == 0, TestTimeouts.Container, "containers removed");
        await TestTimeouts.WaitUntilAsync(async () => await _node.StatusAsync("gone") is null, TestTimeouts.Container, "status gone");
    }

    [Test]
    public async Task Up_ExitedReplica_IsRecreatedWithRestartCountAndExitCode()
    {
        await _node.WriteSpecAsync("web.yaml", SpecYaml.V1("crash", replicas: 1));
        await _node.WaitForStatusAsync("crash", s => s.State == DeploymentState.Ready, "Ready");
        await _node.WaitForRouteAsync("crash");
        var victim = (await _node.ContainersAsync(_engine, "crash")).Single();

        using (var http = new HttpClient())
        {
            using var crash = await http.SendAsync(_node.ProxyRequest("crash", "/cgi-bin/crash?7"));
        }

        var status = await _node.WaitForStatusAsync(
            "crash",
            s => s.State == DeploymentState.Ready && s.Replicas.Single().ContainerId != victim.Id,
            "a new ready container");
        Assert.That(status.Replicas.Single().Restarts, Is.EqualTo(1));
        Assert.That(status.Replicas.Single().LastExitCode, Is.EqualTo(7));
    }

    [Test]
    public async Task Up_DaemonRestart_AdoptsRunningReplicasWithoutRestarts()
    {
        await _node.WriteSpecAsync("web.yaml", SpecYaml.V1("adopt", replicas: 2));
        await _node.WaitForStatusAsync("adopt", s => s.State == DeploymentState.Ready, "Ready");
        var before = (await _node.ContainersAsync(_engine, "adopt")).Select(c => c.Id).Order().ToList();

        await _node.StopAsync();
        Assert.That(_node.ExitCode, Is.Zero, _node.Output);
        Assert.That((await _node.ContainersAsync(_engine, "adopt")).Select(c => c.Id).Order(), Is.EqualTo(before), "stopping the daemon leaves replicas running");
        // Before, the last line was the proxy's "Proxy stopping": nothing said the replicas run on, nor who picks them up.
        Assert.That(_node.Output, Does.Contain($"gradient-node up: stopped; 2 replicas keep running in the engine, and the next start of node '{_node.NodeName}' adopts them"));
        await _node.StartAsync(extraArgs: []);

        var status = await _node.WaitForStatusAsync("adopt", s => s.State == DeploymentState.Ready, "Ready after restart");
        var wide = await _node.CliAsync("ls", "-o", "wide");
        Assert.That(status.Replicas.Select(i => i.ContainerId).Order(), Is.EqualTo(before));
        Assert.That(status.Replicas.Select(i => i.StateChangedAt), Has.All.Not.Null.And.All.LessThanOrEqualTo(status.ObservedAt), "from Docker's started time, known after the restart");
        var row = wide.Stdout.Split('\n').Single(l => l.StartsWith("adopt ", StringComparison.Ordinal));
        Assert.That(row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[6], Does.Match(@"^\d+[smhd]$"), "CHANGED after a daemon restart; before, '-' until something changed: " + wide.Stdout);
        Assert.That(status.Replicas.Select(i => i.Restarts), Has.All.Zero);
        var afterRestart = _node.Output[_node.Output.LastIndexOf("reconciler started", StringComparison.Ordinal)..];
        Assert.That(afterRestart, Does.Not.Contain("started replica").And.Not.Contain("removed replica"));
    }

    [Test]
    public async Task Up_ImageChange_ReplacesReplicasNewBeforeOld()
    {
        await _node.WriteSpecAsync("web.yaml", SpecYaml.V1("roll", replicas: 2));
        var first = await _node.WaitForStatusAsync("roll", s => s.State == DeploymentState.Ready, "Ready");

        await _node.WriteSpecAsync("web.yaml", SpecYaml.V1("roll", replicas: 2, image: TestEnvironment.WebImage2));
        var second = await _node.WaitForStatusAsync(
            "roll",
            s => s.State == DeploymentState.Ready && s.SpecHash != first.SpecHash && s.Replicas.Count == 2,
            "Ready on the new image",
            TestTimeouts.Rollout);

        Assert.That(second.Image, Is.EqualTo(TestEnvironment.WebImage2));
        Assert.That(second.Replicas.Select(i => i.ContainerId), Has.None.AnyOf(first.Replicas.Select(i => i.ContainerId).ToArray()));
        // Ready on the new version can come before the last old replica's drain and stop end: then it goes.
        IReadOnlyList<string> images = [];
        await TestTimeouts.WaitUntilAsync(
            async () => (images = [.. (await _node.ContainersAsync(_engine, "roll", runningOnly: false)).Select(c => c.Image)]).All(i => i == TestEnvironment.WebImage2),
            TestTimeouts.Container,
            () => $"only {TestEnvironment.WebImage2} containers left (last seen: {string.Join(", ", images)})");
        Assert.That(images, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Up_MissingImage_FailsThatDeploymentOnlyAndKeepsRunning()
    {
        await _node.WriteSpecAsync("bad.yaml", SpecYaml.V1("broken image", replicas: 1, image: "127.0.0.1:1/gradient-test/nope:1"));
        await _node.WriteSpecAsync("good.yaml", SpecYaml.V1("healthy", replicas: 1));

        var broken = await _node.WaitForStatusAsync("broken image", s => s.State == DeploymentState.Failed, "Failed");
        await _node.WaitForStatusAsync("healthy", s => s.State == DeploymentState.Ready, "Ready beside a broken one");

        Assert.That(broken.Message, Does.Contain("127.0.0.1:1/gradient-test/nope:1"));
        Assert.That(_node.IsRunning, Is.True);
    }

    [Test]
    public async Task Up_TwoFilesWithTheSameName_LaterOneIsAConflictAndChangesNothing()
    {
        await _node.WriteSpecAsync("a.yaml", SpecYaml.V1("twin", replicas: 1));
        var first = await _node.WaitForStatusAsync("twin", s => s.State == DeploymentState.Ready, "Ready");

        await _node.WriteSpecAsync("b.yaml", SpecYaml.V1("twin", replicas: 3));
        var status = await _node.WaitForStatusAsync("twin", s => s.Conflicts.Count == 1, "conflict reported");

        Assert.That(status.Conflicts.Single(), Does.StartWith(_node.SpecPath("b.yaml")).And.Contain("a.yaml"));
        Assert.That(status.SpecFile, Is.EqualTo(_node.SpecPath("a.yaml")));
        Assert.That(status.DesiredReplicas, Is.EqualTo(1));
        Assert.That(status.SpecHash, Is.EqualTo(first.SpecHash));
    }

    [Test]
    public async Task Up_TwoReadyReplicas_ProxyRoutesByHostToBoth()
    {
        await _node.WriteSpecAsync("web.yaml", SpecYaml.V1("routed", replicas: 2));
        await _node.WaitForStatusAsync("routed", s => s.State == DeploymentState.Ready, "Ready");
        await _node.WaitForRouteAsync("routed");
        using var http = new HttpClient();

        var replicas = new HashSet<string>();
        for (var i = 0; i < 40 && replicas.Count < 2; i++)
        {
            using var response = await http.SendAsync(_node.ProxyRequest("routed", "/cgi-bin/whoami"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var body = await response.Content.ReadAsStringAsync();
            replicas.Add(body.Split('\n').Single(l => l.StartsWith("replica=", StringComparison.Ordinal)));
        }

        Assert.That(replicas, Is.EquivalentTo(new[] { "replica=routed-0", "replica=routed-1" }));
        using var unknown = await http.SendAsync(_node.ProxyRequest("nobody", "/"));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Up_StartedWithSigintIgnored_WarnsAndStillStopsOnSigterm()
    {
        // A script's `gradient-node up &`: the shell starts it with SIGINT ignored, and .NET keeps that, so Ctrl-C and
        // `kill -INT` do nothing. The node says so at start, and SIGTERM still stops it cleanly.
        var background = GradientNodeProcess.Prepare();
        background.Launcher = ["env", "--ignore-signal=INT"];
        await using (background)
        {
            await background.StartAsync(extraArgs: []);
            Assert.That(background.Output, Does.Contain("gradient-node up: warning: started with SIGINT ignored (as a script does for a command it runs in the background), so Ctrl-C and `kill -INT` will not stop it"));

            await background.StopAsync();

            Assert.That(background.ExitCode, Is.Zero, background.Output);
        }

        Assert.That(_node.Output, Does.Not.Contain("SIGINT ignored"), "no warning when SIGINT works");
    }
}
