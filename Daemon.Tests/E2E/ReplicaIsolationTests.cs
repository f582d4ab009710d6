using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using GradientNode.Core.Engine;
using GradientNode.Core.Status;
using GradientNode.Tests.Install;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// A protected deployment's password cannot be passed by calling a replica's own address (docs/design/security.md,
/// "Replicas are reached through the proxy only"): the published binary puts replicas on its own network and the
/// host's real iptables refuses local users' connections into it.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class ReplicaIsolationTests
{
    private const string Name = "walled";
    private const string Slug = "walled";
    private const string Password = "isolation_password";

    private DockerEngine _engine = null!;
    private GradientNodeProcess _node = null!;

    [SetUp]
    public async Task SetUp()
    {
        _engine = await TestEnvironment.RequireEngineAsync();
        TestEnvironment.RequireRoot("the node sets host rules as root only; run the tests as root (test.sh on CI does)");

        _node = GradientNodeProcess.Prepare();
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
    public async Task ProtectedReplica_LocalUserCallsItsAddress_RefusedWhileRootAndThePasswordThroughTheProxyGetIn()
    {
        var setpriv = ShellTool.Require("setpriv", "util-linux");
        var curl = ShellTool.Require("curl", "curl");
        await _node.StartAsync(extraArgs: []);
        var set = await _node.CliWithInputAsync(Password, "secrets", "set", "walled_key");
        Assert.That(set.ExitCode, Is.Zero, set.ToString());
        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1(Name, replicas: 1, top: "basicAuthKey: secret:walled_key"));
        await _node.WaitForStatusAsync(Name, s => s.State == DeploymentState.Ready, "Ready");
        await _node.WaitForRouteAsync(Slug, code => code == HttpStatusCode.Unauthorized);

        var replica = (await _node.ContainersAsync(_engine, Slug)).Single();
        var address = (await _engine.InspectContainerAsync(replica.Id, CancellationToken.None))?.IpAddress;
        var network = (await _engine.FindNetworksAsync("gradient-node", CancellationToken.None)).First();
        Assert.Multiple(() =>
        {
            Assert.That(replica.Networks, Is.EqualTo(new[] { "gradient-node" }), "the replica is on the node's network only");
            Assert.That(network.InterContainerBlocked, Is.True, "replicas cannot reach each other");
            Assert.That(Directory.Exists($"/sys/class/net/{network.BridgeInterface}"), Is.True, network.BridgeInterface);
            Assert.That(address, Is.Not.Null);
        });

        // Root (the proxy, the daemon's probes) reaches the replica; the test runs as root.
        using var http = new HttpClient { Timeout = TestTimeouts.Request };
        using (var direct = await http.GetAsync($"http://{address}:8080/"))
        {
            Assert.That(direct.StatusCode, Is.EqualTo(HttpStatusCode.OK), "root at the replica's address");
        }

        // Any other local user does not, and never sees an answer of the replica's.
        var (exit, output) = await ShellTool.RunAsync(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", curl, "-sS", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}", $"http://{address}:8080/"]);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(7), $"curl as nobody should fail to connect: {output}");
            Assert.That(output, Does.StartWith("000"), output);
        });

        // Through the proxy the password decides, as before.
        Assert.That(await ProxyAsync(http, null), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await ProxyAsync(http, Password), Is.EqualTo(HttpStatusCode.OK));

        // get says the endpoint is protected, and by which secret (never its value).
        var get = await _node.CliAsync("get", Name);
        Assert.That(get.Stdout, Does.Contain("Auth:      basic auth, user paperspace, the password in secret 'walled_key'").And.Not.Contain(Password), get.ToString());

        // And the node has nothing to warn about its network.
        var warnings = await WarningsAsync();
        Assert.That(warnings.Where(w => w.Contains("replica", StringComparison.Ordinal) && w.Contains("network", StringComparison.Ordinal)), Is.Empty, string.Join("\n", warnings));
    }

    [Test]
    public async Task ReplicaFromBeforeTheNetwork_NodeRestartedWithIt_NamedInTheWarningsUntilRestartMovesIt()
    {
        // An older node, as replicaNetwork: bridge runs it: the replica sits on the engine's default bridge.
        await _node.StartAsync(extraArgs: ["--replica-network", "bridge"]);
        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1(Name, replicas: 1));
        await _node.WaitForStatusAsync(Name, s => s.State == DeploymentState.Ready, "Ready on the default bridge");
        Assert.That((await _node.ContainersAsync(_engine, Slug)).Single().Networks, Is.EqualTo(new[] { "bridge" }));
        Assert.That(await WarningsAsync(), Has.Some.Contains("replicas run on the engine's default bridge (replicaNetwork: bridge)"));

        // The node comes back with its network: the replica keeps serving, and the node says it is outside.
        await _node.StopAsync();
        await _node.StartAsync(extraArgs: []);
        await _node.WaitForStatusAsync(Name, s => s.State == DeploymentState.Ready, "Ready after the restart");
        var before = (await _node.ContainersAsync(_engine, Slug)).Single();
        Assert.That(before.Networks, Is.EqualTo(new[] { "bridge" }), "nothing restarted by itself");
        Assert.That(await WarningsAsync(), Has.Some.EqualTo(
            $"1 replica(s) of {Name} run outside the replica network 'gradient-node' (started before the node had it): local users and other containers can reach them without the password until they are replaced (gradient-node restart NAME)"));

        var restart = await _node.CliAsync("restart", Name, "--wait", "--timeout", "2m");
        Assert.That(restart.ExitCode, Is.Zero, restart.ToString());

        var after = (await _node.ContainersAsync(_engine, Slug)).Single();
        var warnings = await WarningsAsync();
        Assert.Multiple(() =>
        {
            Assert.That(after.Id, Is.Not.EqualTo(before.Id));
            Assert.That(after.Networks, Is.EqualTo(new[] { "gradient-node" }));
            Assert.That(warnings, Has.None.Contains("outside the replica network"), "nothing left outside");
        });
    }

    [Test]
    public async Task Replica_DisconnectedFromItsNetwork_ReplacedOnItWithoutAnyoneAsking()
    {
        await _node.StartAsync(extraArgs: []);
        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1(Name, replicas: 1));
        await _node.WaitForStatusAsync(Name, s => s.State == DeploymentState.Ready, "Ready");
        var before = (await _node.ContainersAsync(_engine, Slug)).Single();

        // An operator (or a script) takes the replica off its network: it keeps running, unreachable.
        using (var docker = new DockerClientBuilder().WithEndpoint(new Uri(TestEnvironment.DockerHost)).Build())
        {
            await docker.Networks.DisconnectNetworkAsync("gradient-node", new NetworkDisconnectParameters { Container = before.Id, Force = true });
        }

        // The next full resync (within a minute) stops it and starts a replacement on the network.
        await _node.WaitForStatusAsync(
            Name,
            s => s.State == DeploymentState.Ready && s.Replicas.Any(r => r.Ready && r.ContainerId != before.Id),
            "Ready on a new replica",
            TimeSpan.FromMinutes(3));
        var after = (await _node.ContainersAsync(_engine, Slug)).Single();
        using var http = new HttpClient { Timeout = TestTimeouts.Request };
        Assert.Multiple(() =>
        {
            Assert.That(after.Id, Is.Not.EqualTo(before.Id));
            Assert.That(after.Networks, Is.EqualTo(new[] { "gradient-node" }));
        });
        Assert.That(await ProxyAsync(http, null), Is.EqualTo(HttpStatusCode.OK), "served again through the proxy");
        var history = await _node.ApiGetAsync($"v1/deployments/{Name}");
        Assert.That(history, Does.Contain("network lost"), "the status history says why it was replaced");
    }

    private async Task<List<string>> WarningsAsync()
    {
        using var node = JsonDocument.Parse(await _node.ApiGetAsync("v1/node"));
        return [.. node.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString() ?? "")];
    }

    private async Task<HttpStatusCode> ProxyAsync(HttpClient http, string? password)
    {
        using var request = _node.ProxyRequest(Slug, "/");
        if (password is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"paperspace:{password}")));
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
