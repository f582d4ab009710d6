using Docker.DotNet.Models;
using GradientNode.Core.Engine;
using GradientNode.Core.Status;
using GradientNode.Daemon.Cli;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>A registry that cannot be reached blocks no restart when the image is already on the node.</summary>
internal sealed partial class SecretsAndRegistriesTests
{
    [Test]
    public async Task Restart_RegistryDownAndTheImageOnTheNode_RunsTheLocalImageAndWarnsNamingTheRegistry()
    {
        // A registry address where nothing listens, and the test image tagged there, as if pulled from it before.
        var registry = $"127.0.0.1:{GradientNodeProcess.FreePort()}";
        var repository = $"{registry}/gn-{TestEnvironment.RunId}/web";
        using var clients = new DockerClientProvider(TestEnvironment.DockerHost);
        var docker = await clients.GetAsync(CancellationToken.None);
        await docker.Images.TagImageAsync(TestEnvironment.WebImage, new ImageTagParameters { RepositoryName = repository, Tag = "1" });
        try
        {
            await AddRegistryAsync("down", registry, "robot", "registry-password-never-shown");
            await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("down app", replicas: 1, image: $"{repository}:1", top: "containerRegistry: down"));
            var first = await _node.WaitForStatusAsync("down app", s => s.State == DeploymentState.Ready, "Ready on the local image", TestTimeouts.Rollout);

            var noWait = await _node.CliAsync("restart", "down app");
            var restart = await _node.CliAsync("restart", "down app", "--wait", "--timeout", "2m");
            var get = await _node.CliAsync("get", "down app");

            TestContext.Out.WriteLine(restart.ToString());
            TestContext.Out.WriteLine(get.Stdout);
            var warning = $"could not pull from registry {registry} (containerRegistry 'down'), so the image already on this node runs: ";
            Assert.Multiple(() =>
            {
                Assert.That(first.Warnings, Has.One.StartsWith(warning).And.Contain("connection refused"));
                Assert.That(restart.ExitCode, Is.Zero, restart.ToString());
                Assert.That(restart.Stdout, Does.Contain($"warning: {warning}"), "restart --wait says which image runs, and why");
                Assert.That(get.Stdout, Does.Contain($"Warnings:\n  {warning}"));
                Assert.That(noWait.ExitCode, Is.Zero, noWait.ToString());
                Assert.That(noWait.Stdout, Is.EqualTo("deployment 'down app' restarting (generation 1)\n" + DeployCommands.RestartPullHint("down-app") + "\n"),
                    "without --wait it returns before the pull: it says where the outcome shows and claims none; before, it said nothing of the pull");
                Assert.That(restart.Stdout + restart.Stderr + get.Stdout + _node.Output, Does.Not.Contain("registry-password-never-shown"));
            });
        }
        finally
        {
            await docker.Images.DeleteImageAsync($"{repository}:1", new ImageDeleteParameters { Force = true });
        }
    }

    [Test]
    public async Task Apply_RegistryDownAndNoImageOnTheNode_FailsAsBefore()
    {
        var registry = $"127.0.0.1:{GradientNodeProcess.FreePort()}";
        await AddRegistryAsync("down", registry, "robot", "pw");
        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("gone app", replicas: 1, image: $"{registry}/gn-{TestEnvironment.RunId}/absent:1", top: "containerRegistry: down"));

        var status = await _node.WaitForStatusAsync("gone app", s => s.State == DeploymentState.Failed, "Failed: nothing to run");

        Assert.Multiple(() =>
        {
            Assert.That(status.Message, Does.Contain("could not be pulled").And.Contain("connection refused"));
            Assert.That(status.Warnings, Is.Empty);
        });
    }
}
