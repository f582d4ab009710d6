using Docker.DotNet;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// <c>diff</c> and <c>apply --wait</c> while the node replaces a replica an earlier version created with <c>NET_RAW</c>: the
/// successor never becomes ready here (the app serves only where the earlier version's container says so, as an app that
/// needs <c>NET_RAW</c> would), so the drifted replica keeps serving and the replacement stays pending.
/// </summary>
internal sealed partial class HealthEndToEndTests
{
    [Test]
    public async Task Diff_ReplicaCreatedWithNetRawWhoseSuccessorIsNotReady_NamesTheReplacementAndApplyWaitShowsItAsOld()
    {
        var node = await StartUpAsync();
        // Serves only in a container with OLD set: the one recreated below, as an earlier version made it.
        var yaml = SpecYaml.V1("drift", replicas: 1, top: "command: [\"/bin/sh\", \"-c\", \"if [ -n \\\"$OLD\\\" ]; then exec /bin/serve; fi; exec sleep 3600\"]");
        await node.WriteSpecAsync("drift.yaml", yaml);
        await node.WaitForStatusAsync("drift", s => s.Replicas.Any(r => r.State == "running"), "replica 0 running", TestTimeouts.Rollout);

        await node.StopAsync();
        string old;
        using (var docker = new DockerClientBuilder().WithEndpoint(new Uri(TestEnvironment.DockerHost)).Build())
        {
            old = await RecreateWithDefaultCapabilitiesAsync(docker, (await node.ContainersAsync(_engine, "drift")).Single().Id, "OLD=1");
        }

        var address = await AddressAsync(old);
        await TestTimeouts.WaitUntilAsync(async () => await AnswersAsync(address), TestTimeouts.Container, $"the earlier version's replica to serve on {address}");
        await node.StartAsync(extraArgs: []);
        await node.WaitForStatusAsync(
            "drift",
            s => s.Rollout is not null && s.Replicas.Any(r => r.ContainerId == old && !r.Current) && s.Replicas.Any(r => r.ContainerId != old && r.State == "running"),
            "the replacement started beside the drifted replica",
            TestTimeouts.Rollout);
        var file = Path.Combine(node.Root, "drift.yaml");
        await File.WriteAllTextAsync(file, yaml);

        var diff = await node.CliAsync("diff", "-f", file);
        var apply = await node.CliAsync("apply", "-f", file, "--wait", "--timeout", "4s");
        var status = await node.StatusAsync("drift");

        Assert.Multiple(() =>
        {
            Assert.That(diff.Stdout, Does.Contain($"replica 0 {NetRawDrift}: the node replaces it, apply or not (roll out 1 replica)"), "before: no change\n" + diff);
            Assert.That(diff.ExitCode, Is.EqualTo(1), "a change is coming");
            Assert.That(status!.Replicas.Single(r => r.ContainerId == old).Drift, Is.EqualTo(NetRawDrift), "the API says why");
            Assert.That(apply.ExitCode, Is.Not.Zero, "the successor is never ready: " + apply);
            // Before: the drifted replica and its successor shared the line "replica 0", as both have the spec's hash.
            Assert.That(apply.Stdout, Does.Contain($"replica 0 (old): ready (old version): {NetRawDrift}"), apply.ToString());
            Assert.That(apply.Stdout, Does.Match(@"replica 0: (probing|starting)"), apply.ToString());
        });
    }
}
