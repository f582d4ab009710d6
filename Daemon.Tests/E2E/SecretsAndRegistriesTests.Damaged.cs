using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// Stored files damaged behind the daemon's back (a full disk under a copy, a hand edit): a registry connection cut
/// short and a secret truncated to 0 bytes are named as damaged, never read as absent or as an empty value.
/// </summary>
internal sealed partial class SecretsAndRegistriesTests
{
    [Test]
    public async Task Registries_StoredFileCutShort_ListedAsDamagedNamedInTheSpecsErrorAndRemovable()
    {
        var add = await _node.CliWithInputAsync(SecretValue + "\n", "registries", "add", "broken", "--url", "127.0.0.1:5999", "--username", "ci", "--password-stdin");
        Assert.That(add.ExitCode, Is.Zero, add.ToString());
        var file = Path.Combine(_node.StateDir, "registries", "broken.json");
        var text = await File.ReadAllTextAsync(file);
        await File.WriteAllTextAsync(file, text[..(text.IndexOf(SecretValue, StringComparison.Ordinal) + 2)]); // cut inside the password

        var list = await _node.CliAsync("registries", "ls");
        var api = await _node.ApiGetAsync("v1/registries");
        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("uses broken", replicas: 1, image: "127.0.0.1:5999/private/app:1", top: "containerRegistry: broken"));
        var status = await _node.WaitForStatusAsync("uses broken", s => s.State == DeploymentState.Failed, "Failed");
        var remove = await _node.CliAsync("registries", "rm", "broken");
        var after = await _node.CliAsync("registries", "ls");

        // Before: left out of ls and the API as if it did not exist, and the spec was told it was not stored.
        Assert.Multiple(() =>
        {
            Assert.That(list.ExitCode, Is.Zero, list.ToString());
            Assert.That(list.Stdout, Does.Match(@"broken\s+\(damaged\)"));
            Assert.That(list.Stdout, Does.Contain("broken: its stored file registries/broken.json is damaged (it ends early"));
            Assert.That(api, Does.Contain("\"damaged\": \"its stored file registries/broken.json is damaged (it ends early"));
            Assert.That(status.Message, Does.Contain("containerRegistry 'broken': its stored file registries/broken.json is damaged").And.Not.Contain("not a stored registry connection"));
            Assert.That(remove.ExitCode, Is.Zero, remove.ToString());
            Assert.That(remove.Stdout, Does.Contain("deleted (its stored file was damaged)"));
            Assert.That(after.Stdout, Does.Not.Contain("broken"));
            Assert.That(_node.Output, Does.Contain("registry connection broken: its stored file"));
        });
        AssertNoLeak(SecretValue[..2], list, remove);
        Assert.That(api + status.Message, Does.Not.Contain(SecretValue[..2]));
    }

    [Test]
    public async Task Secrets_StoredFileTruncatedToZeroBytes_NotInjectedTheSpecIsToldItIsDamaged()
    {
        var set = await _node.CliWithInputAsync(SecretValue + "\n", "secrets", "set", "api_token");
        Assert.That(set.ExitCode, Is.Zero, set.ToString());
        await File.WriteAllBytesAsync(Path.Combine(_node.StateDir, "secrets", "api_token"), []);

        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("empty token", replicas: 1, extra: "env:\n  - name: TOKEN\n    value: secret:api_token"));
        var status = await _node.WaitForStatusAsync("empty token", s => s.State == DeploymentState.Failed, "Failed");
        var list = await _node.CliAsync("secrets", "ls");

        // Before: started with TOKEN set to an empty value.
        Assert.Multiple(async () =>
        {
            Assert.That(status.Message, Does.Contain("env[TOKEN] refers to secret 'api_token': its stored file secrets/api_token is empty (0 bytes), which secrets set never stores"));
            Assert.That(await _node.ContainersAsync(_engine, "empty-token", runningOnly: false), Is.Empty);
            Assert.That(list.Stdout, Does.Match(@"api_token\s+\(damaged\)"));
            Assert.That(_node.Output, Does.Contain("secret api_token: its stored file"));
        });
    }
}
