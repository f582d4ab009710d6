using System.Net;
using GradientNode.Core.Catalog;
using GradientNode.Core.Engine;
using GradientNode.Daemon.Api;
using GradientNode.Tests.Reconciliation;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

/// <summary>
/// <c>GET /v1/deployments/{name}/logs?follow=true</c> of a deployment that runs no replica on purpose (scaled to 0,
/// disabled), through Kestrel on a unix socket as the CLI reaches it: the stream says so at once and waits for a replica.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class LogsEndpointsWaitingTests
{
    [Test]
    public async Task Logs_FollowOfADeploymentScaledToZero_SaysSoAtOnceThenFollowsTheReplicaOfAScaleUp()
    {
        // Before, -f of a deployment scaled to 0 got the 404 "has no replicas" and ended (exit 1): the lines of a scale-up
        // had to be caught by running it again at the right moment.
        var dir = Directory.CreateTempSubdirectory("gn-logs-waiting-").FullName;
        var engine = new RecordingEngine();
        engine.LogText.Add("hello from replica 0");
        var (app, socket, _) = WorkflowLogsTestHost.BothLogEndpoints(dir, engine);
        await File.WriteAllTextAsync(Path.Combine(dir, "specs", "zero.yaml"), "apiVersion: v1\nname: zero\nimage: a:1\nresources:\n  machineType: C4\n  ports: [8080]\n  replicas: 0\n");
        await app.Services.GetRequiredService<SpecDirectoryWatcher>().ScanAsync(CancellationToken.None);
        await app.StartAsync();
        try
        {
            using var http = WorkflowLogsTestHost.Client(socket);
            using var response = await http.GetAsync("v1/deployments/zero/logs?follow=true", HttpCompletionOption.ResponseHeadersRead);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var first = await reader.ReadLineAsync(timeout.Token);
            lock (engine.Containers)
            {
                engine.Containers.Add(Replica("c0", "gradient-zero-0-abc123", 0));
            }

            var next = await reader.ReadLineAsync(timeout.Token);

            Assert.Multiple(() =>
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(first, Is.EqualTo("(deployment 'zero' is scaled to 0 (resources.replicas: 0): waiting for a replica)"));
                Assert.That(next, Does.EndWith("hello from replica 0"));
            });
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public async Task Logs_WithoutFollowOfADeploymentScaledToZero_Still404SayingWhy()
    {
        var dir = Directory.CreateTempSubdirectory("gn-logs-waiting-").FullName;
        var (app, socket, _) = WorkflowLogsTestHost.BothLogEndpoints(dir, new RecordingEngine());
        await File.WriteAllTextAsync(Path.Combine(dir, "specs", "zero.yaml"), "apiVersion: v1\nname: zero\nimage: a:1\nresources:\n  machineType: C4\n  ports: [8080]\n  replicas: 0\n");
        await app.Services.GetRequiredService<SpecDirectoryWatcher>().ScanAsync(CancellationToken.None);
        await app.StartAsync();
        try
        {
            using var http = WorkflowLogsTestHost.Client(socket);
            using var response = await http.GetAsync("v1/deployments/zero/logs");

            Assert.Multiple(async () =>
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
                Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("deployment 'zero' has no replicas on this node: it is scaled to 0 (resources.replicas: 0)\n"));
            });
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static ContainerDetails Replica(string id, string name, int index) => new(
        id,
        name,
        "a:1",
        new Dictionary<string, string> { [ContainerLabels.Deployment] = "zero", [ContainerLabels.Replica] = index.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        new ContainerState("running", true, false, false, 0, null, DateTimeOffset.UnixEpoch, null),
        null,
        DateTimeOffset.UnixEpoch,
        0);
}
