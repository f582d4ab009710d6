using System.Net;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// The console served by the daemon itself (node.yaml <c>console: {listen: 127.0.0.1:PORT}</c>), against the published
/// binary and a real engine: the page, the whitelisted API, and the same Host, action-header and whitelist refusals as
/// <c>gradient-node console</c>.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class DaemonConsoleTests
{
    [Test]
    public async Task Daemon_ConsoleInNodeYaml_ServesThePageAndApiWithTheSameProtections()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        await using var node = GradientNodeProcess.Prepare();
        var port = GradientNodeProcess.FreePort();
        Directory.CreateDirectory(node.Root);
        var config = Path.Combine(node.Root, "node.yaml");
        await File.WriteAllTextAsync(config, $"console: {{listen: 127.0.0.1:{port}}}\n");
        await node.StartAsync(["--config", config]);
        await node.WriteSpecAsync("web.yaml", SpecYaml.V1("web", replicas: 1));
        await node.WaitForStatusAsync("web", s => s.State == DeploymentState.Ready, "Ready");
        var url = $"http://127.0.0.1:{port}/";
        using var http = new HttpClient();

        var page = await http.GetStringAsync(url);
        var deployments = await http.GetStringAsync(url + "api/deployments");
        using var restart = await http.SendAsync(ConsoleProcess.Post(url + "api/deployments/web/restart", withHeader: true));
        using var noHeader = await http.SendAsync(ConsoleProcess.Post(url + "api/deployments/web/restart", withHeader: false));
        using var secrets = await http.GetAsync(url + "api/secrets");
        using var rebinding = new HttpRequestMessage(HttpMethod.Get, url + "api/deployments");
        rebinding.Headers.Host = "attacker.example";
        using var rebound = await http.SendAsync(rebinding);

        Assert.Multiple(() =>
        {
            Assert.That(page, Does.Contain("<title>Gradient Node console</title>"));
            Assert.That(deployments, Does.Contain("\"slug\": \"web\""));
            Assert.That(restart.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(noHeader.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(secrets.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(rebound.StatusCode, Is.EqualTo(HttpStatusCode.MisdirectedRequest));
            Assert.That(node.Output, Does.Contain($"Web console on http://127.0.0.1:{port}/"));
        });
    }

    [Test]
    public async Task Daemon_ConsolePortTaken_LogsItAndRunsOn()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        await using var node = GradientNodeProcess.Prepare();
        Directory.CreateDirectory(node.Root);
        var config = Path.Combine(node.Root, "node.yaml");
        await File.WriteAllTextAsync(config, $"console:\n  listen: 127.0.0.1:{port}\n");

        await node.StartAsync(["--config", config]);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(node.Output.Contains("Cannot serve the web console on", StringComparison.Ordinal)), TestTimeouts.Short, "the console's bind error");

        Assert.That(node.IsRunning, Is.True);
        Assert.That((await node.CliAsync("ls")).ExitCode, Is.Zero, "the daemon still answers on its socket");
    }
}
