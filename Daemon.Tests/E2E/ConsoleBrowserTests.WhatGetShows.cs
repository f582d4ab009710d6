using Docker.DotNet.Models;
using GradientNode.Core.Engine;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// One deployment's page shows what <c>gradient-node get</c> shows beside the state: who may reach the endpoint, the
/// warnings, the spec fields the node does not act on and the volumes. Before, a console user saw none of them, so a
/// field the node ignores (README: "nothing in a spec is silently ignored") was silent there.
/// </summary>
internal sealed partial class ConsoleBrowserTests
{
    [Test]
    public async Task Deployment_WarningNotActedOnAuthAndVolume_ShowsWhatGetShows()
    {
        // A registry where nothing listens, and the test image tagged there as if pulled from it before: the node runs
        // the local image and warns (as in SecretsAndRegistriesTests.RegistryDown).
        var registry = $"127.0.0.1:{GradientNodeProcess.FreePort()}";
        var repository = $"{registry}/gn-{TestEnvironment.RunId}/console-web";
        using var clients = new DockerClientProvider(TestEnvironment.DockerHost);
        var docker = await clients.GetAsync(CancellationToken.None);
        await docker.Images.TagImageAsync(TestEnvironment.WebImage, new ImageTagParameters { RepositoryName = repository, Tag = "1" });
        try
        {
            Assert.That((await _node.CliWithInputAsync("pw\n", "registries", "add", "down", "--url", registry, "--username", "robot", "--password-stdin")).ExitCode, Is.Zero);
            Assert.That((await _node.CliWithInputAsync(AuthValue + "\n", "secrets", "set", "endpoint_key")).ExitCode, Is.Zero);
            await _node.WriteSpecAsync("shown.yaml", SpecYaml.V1("shown", replicas: 1, image: $"{repository}:1",
                top: "containerRegistry: down\nregion: us-east-1\nbasicAuthKey: secret:endpoint_key\nintegrations:\n  - type: volume\n    name: scratch"));
            var status = await _node.WaitForStatusAsync("shown", s => s.State == DeploymentState.Ready && s.Warnings.Count > 0, "Ready with a warning", TestTimeouts.Rollout);
            var get = await _node.CliAsync("get", "shown");

            await _page.GotoAsync(_console.Url + "#/d/shown");
            var warnings = _page.Locator("#warnings li");
            await warnings.First.WaitForAsync(new() { Timeout = WaitMs });
            var warningTexts = await warnings.AllInnerTextsAsync();
            var notActedOn = await _page.Locator("#not-acted-on li").AllInnerTextsAsync();
            var auth = await _page.Locator("#auth").InnerTextAsync();
            var volume = await _page.Locator("#volumes tbody tr").InnerTextAsync();
            await Screenshot("console-deployment-warnings");

            Assert.Multiple(() =>
            {
                Assert.That(get.Stdout, Does.Contain("region: ignored on a single node"), get.ToString());
                Assert.That(notActedOn, Is.EqualTo(status.NotActedOn), "the same words as get's 'Not acted on yet'");
                Assert.That(warningTexts, Is.EqualTo(status.Warnings));
                Assert.That(auth, Does.Contain("basic auth, user paperspace").And.Contain("endpoint_key").And.Not.Contain(AuthValue));
                Assert.That(volume, Does.Contain("integrations[scratch]").And.Contain("/opt/scratch"));
            });
        }
        finally
        {
            await docker.Images.DeleteImageAsync($"{repository}:1", new ImageDeleteParameters { Force = true });
        }
    }
}
