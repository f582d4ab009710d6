using System.Security.Cryptography;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using GradientNode.Core.Engine;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// Replicas an earlier version of the node created with Docker's default capabilities (<c>NET_RAW</c> among them) are
/// replaced by the node itself through the rolling update a spec change gets: each successor is ready before its
/// predecessor goes, and the deployment serves throughout. A workflow job's container is not restarted mid-run.
/// </summary>
internal sealed partial class HealthEndToEndTests
{
    private const string NetRawDrift = "created with NET_RAW by an earlier version of the node";

    [Test]
    public async Task Restart_ReplicasCreatedWithNetRawByAnEarlierVersion_RolledToReplicasWithoutItServingThroughout()
    {
        var node = await StartUpAsync();
        // Each replica listens 3 s after it starts: a successor is not ready at once, so the rollout has to wait for it.
        await node.WriteSpecAsync("web.yaml", SpecYaml.V1("legacy", replicas: 2, top: "command: [\"/bin/sh\", \"-c\", \"sleep 3; exec /bin/serve\"]"));
        await node.WaitForStatusAsync("legacy", s => s.State == DeploymentState.Ready, "Ready", TestTimeouts.Rollout);

        // The node stops (its replicas keep running); what runs is then made as an earlier version made it.
        await node.StopAsync();
        var old = new List<string>();
        using (var docker = new DockerClientBuilder().WithEndpoint(new Uri(TestEnvironment.DockerHost)).Build())
        {
            foreach (var replica in await node.ContainersAsync(_engine, "legacy"))
            {
                old.Add(await RecreateWithDefaultCapabilitiesAsync(docker, replica.Id));
            }

            var jobLabels = new Dictionary<string, string>
            {
                [TestEnvironment.RunLabel] = TestEnvironment.RunId,
                [ContainerLabels.Node] = node.NodeName,
                [ContainerLabels.Workflow] = "train",
                [ContainerLabels.Job] = "fit",
            };
            var job = await docker.Containers.CreateContainerAsync(
                new CreateContainerParameters { Name = $"gradient-train-fit-{Hex()}", Image = TestEnvironment.WebImage, Labels = jobLabels },
                CancellationToken.None);
            old.Add(job.ID);
            await _engine.StartContainerAsync(job.ID, CancellationToken.None);
        }

        foreach (var id in old.Take(2))
        {
            // An old replica that does not serve yet would be replaced at once (nothing to keep serving): wait until it does.
            var address = await AddressAsync(id);
            await TestTimeouts.WaitUntilAsync(async () => await AnswersAsync(address), TestTimeouts.Container, $"the earlier version's replica {id[..12]} to serve on {address}");
        }

        await node.StartAsync(extraArgs: []);
        using var stop = new CancellationTokenSource();
        var loop = ServeLoopAsync(node, "legacy", stop.Token);
        var samples = new List<DeploymentStatus>();
        var done = await node.WaitForStatusAsync(
            "legacy",
            s =>
            {
                samples.Add(s);
                return s.State == DeploymentState.Ready && s.Replicas.Count == 2 && s.Replicas.All(i => i.Current && i.Ready && !old.Contains(i.ContainerId));
            },
            "both replicas replaced by ones without NET_RAW",
            TestTimeouts.Rollout);
        await stop.CancelAsync();
        var served = await loop;

        var capDrops = new List<string>();
        foreach (var replica in done.Replicas)
        {
            using var inspect = await TestEnvironment.InspectContainerJsonAsync(replica.ContainerId, CancellationToken.None);
            capDrops.Add(string.Join(",", inspect.RootElement.GetProperty("HostConfig").GetProperty("CapDrop").EnumerateArray().Select(e => e.GetString())));
        }

        var running = (await _engine.ListContainersAsync([$"{ContainerLabels.Node}={node.NodeName}"], CancellationToken.None)).Where(c => c.State == "running").Select(c => c.Id).ToList();
        using var nodeInfo = JsonDocument.Parse(await node.ApiGetAsync("/v1/node"));
        var warnings = nodeInfo.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        var rolling = samples.Where(s => s.Rollout is not null).ToList();
        var history = done.Replicas.SelectMany(i => i.History).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(capDrops, Has.All.Contains("NET_RAW"), "the successors drop NET_RAW");
            Assert.That(running, Does.Not.Contain(old[0]).And.Not.Contain(old[1]), "the earlier version's replicas are gone");
            Assert.That(running, Does.Contain(old[2]), "the job's container is not restarted mid-run");
            // From the first status that observed the replicas on ("waiting for the first reconcile" before it holds none).
            Assert.That(samples.SkipWhile(s => s.Replicas.Count == 0).Where(s => s.ReadyReplicas < 2).Select(s => s.Message), Is.Empty, "every index served by a ready replica throughout");
            Assert.That(samples.Count(s => s.Replicas.Count > 0), Is.GreaterThan(1));
            Assert.That(served.Failed, Is.Zero, string.Join("; ", served.Errors.Distinct().Take(5)));
            Assert.That(served.Ok, Is.GreaterThan(0));
            Assert.That(rolling, Is.Not.Empty, "a status during the rollout");
            Assert.That(rolling.Select(s => s.Rollout!.Reason).Distinct(), Is.EqualTo(new[] { $"replacing replicas {NetRawDrift}" }));
            Assert.That(rolling.Select(s => s.Message), Has.Some.Match($"replacing [12] replicas? {NetRawDrift}"));
            Assert.That(history.Where(h => h.State == "stopping").Select(h => h.Message), Has.Some.EndsWith($": replaced: {NetRawDrift}"));
            Assert.That(Occurrences(node.Output, "through a rolling update"), Is.EqualTo(1), "the rollout's reason is logged once:\n" + node.Output);
            Assert.That(warnings.Where(w => w.Contains("NET_RAW", StringComparison.Ordinal)), Is.EqualTo(new[]
            {
                "1 container(s) of workflow train run with NET_RAW (created by an earlier version of the node): they can open packet sockets "
                + "and answer for other replicas' addresses until they are replaced (the node replaces a deployment's replicas by a rolling "
                + "update, each once its successor is ready: see its status; a workflow job's container when its run ends)",
            }));
        });
    }

    /// <summary>
    /// Replaces the node's container <paramref name="id"/> by one of the same name pattern, labels, image, command, env and
    /// network, created as an earlier version did: without <c>CapDrop</c> (and with <paramref name="extraEnv"/>). Returns the
    /// new container's id (started).
    /// </summary>
    private async Task<string> RecreateWithDefaultCapabilitiesAsync(DockerClient docker, string id, params string[] extraEnv)
    {
        var mine = await docker.Containers.InspectContainerAsync(id, CancellationToken.None);
        var (config, host) = (mine.Config!, mine.HostConfig!);
        Assert.That(host.CapDrop, Does.Contain("NET_RAW"), "this version's replica drops it");
        var labels = new Dictionary<string, string>(config.Labels);
        Assert.That(labels.Remove(ContainerLabels.CapDrop), Is.True, "this version labels what it drops; an earlier one did not");
        var created = await docker.Containers.CreateContainerAsync(
            new CreateContainerParameters
            {
                Name = $"gradient-legacy-{labels[ContainerLabels.Replica]}-{Hex()}",
                Image = config.Image,
                Entrypoint = config.Entrypoint,
                Cmd = config.Cmd,
                Env = [.. config.Env, .. extraEnv],
                Labels = labels,
                ExposedPorts = config.ExposedPorts,
                HostConfig = new HostConfig { NetworkMode = host.NetworkMode },
            },
            CancellationToken.None);
        await docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
        await _engine.StartContainerAsync(created.ID, CancellationToken.None);
        return created.ID;
    }

    private async Task<string> AddressAsync(string id)
    {
        string? ip = null;
        await TestTimeouts.WaitUntilAsync(
            async () => (ip = (await _engine.InspectContainerAsync(id, CancellationToken.None))?.IpAddress) is not null,
            TestTimeouts.Container,
            $"container {id[..12]} to have an address");
        return $"{ip}:8080";
    }

    private static async Task<bool> AnswersAsync(string address)
    {
        using var http = new HttpClient { Timeout = TestTimeouts.Short };
        try
        {
            using var response = await http.GetAsync(new Uri($"http://{address}/"));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>
    /// Requests through the proxy until <paramref name="stop"/>; those before the first answer (the node still starting)
    /// are not counted, every one after it must succeed.
    /// </summary>
    private static async Task<(int Ok, int Failed, List<string> Errors)> ServeLoopAsync(GradientNodeProcess node, string slug, CancellationToken stop)
    {
        using var http = new HttpClient { Timeout = TestTimeouts.Request };
        var (ok, failed, errors) = (0, 0, new List<string>());
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var response = await http.SendAsync(node.ProxyRequest(slug, "/"), CancellationToken.None);
                if (response.IsSuccessStatusCode)
                {
                    ok++;
                }
                else if (ok > 0)
                {
                    failed++;
                    errors.Add($"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
                }
            }
            catch (HttpRequestException ex) when (ok > 0)
            {
                failed++;
                errors.Add(ex.Message);
            }
            catch (HttpRequestException)
            {
                // The proxy not listening yet.
            }
        }

        return (ok, failed, errors);
    }

    private static int Occurrences(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;

    private static string Hex() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
}
