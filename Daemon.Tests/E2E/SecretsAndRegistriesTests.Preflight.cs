using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// A deployment that names what the node lacks is warned before it runs, as a workflow is refused at submit: validate,
/// diff and apply print the field's file:line:col, the exact name and a close stored one, and the spec is still taken
/// (a secret may be set after it). Before, all three said nothing and the deployment only went Degraded after apply.
/// </summary>
internal sealed partial class SecretsAndRegistriesTests
{
    [Test]
    public async Task Apply_SpecNamingASecretThatIsNotSet_WarnsAtTheFieldGoesDegradedNamingItAndStartsOnceItIsSet()
    {
        const string value = "preflight-V4lue-never-shown";
        await _node.CliWithInputAsync("unrelated", "secrets", "set", "PF_TOKEN");
        var file = Path.Combine(_node.Root, "pf.yaml");
        await File.WriteAllTextAsync(file, SpecYaml.V1("pf", replicas: 1));
        Assert.That((await _node.CliAsync("apply", "-f", file)).ExitCode, Is.Zero);
        var first = await _node.WaitForStatusAsync("pf", s => s.State == DeploymentState.Ready, "the first version Ready");

        await File.WriteAllTextAsync(file, SpecYaml.V1("pf", replicas: 1, extra: "env:\n  - name: TOKEN\n    value: secret:pf_token"));
        var validate = await _node.CliAsync("validate", file);
        var offline = await _node.CliAsync("validate", "--socket", Path.Combine(_node.Root, "nobody.sock"), file);
        var diff = await _node.CliAsync("diff", "-f", file);
        var apply = await _node.CliAsync("apply", "-f", file);

        var warning = $"{file}:11:12: warning: env[TOKEN]: secret 'pf_token' is not set on this node (did you mean 'PF_TOKEN'?); this version starts no replica until: gradient-node secrets set pf_token";
        Assert.Multiple(() =>
        {
            Assert.That(validate.ExitCode, Is.Zero, validate.ToString());
            Assert.That(validate.Stderr, Does.Contain(warning), "validate asks the daemon that answers");
            Assert.That(offline.ExitCode, Is.Zero, offline.ToString());
            Assert.That(offline.Stderr, Is.Empty, "no daemon: nothing said about the stores");
            Assert.That(diff.Stderr, Does.Contain(warning));
            Assert.That(apply.ExitCode, Is.Zero, "a warning, not a refusal: " + apply);
            Assert.That(apply.Stderr, Does.Contain(warning));
            Assert.That(apply.Stdout, Does.Contain("deployment 'pf' configured"));
        });

        var degraded = await _node.WaitForStatusAsync("pf", s => s.State == DeploymentState.Degraded && s.Message.Contains("pf_token", StringComparison.Ordinal), "Degraded naming the secret");
        Assert.That(degraded.Replicas.Where(r => r.Ready).Select(r => r.SpecHash), Is.EqualTo(new[] { first.SpecHash }), "the last good version keeps serving");

        await _node.CliWithInputAsync(value, "secrets", "set", "pf_token");
        var started = await _node.WaitForStatusAsync(
            "pf", s => s.State == DeploymentState.Ready && s.SpecHash != first.SpecHash && s.Replicas.Count == 1 && s.Replicas.All(r => r.Ready && r.SpecHash == s.SpecHash), "the new version Ready once the secret is set");
        var again = await _node.CliAsync("diff", "-f", file);

        Assert.Multiple(() =>
        {
            Assert.That(started.Message, Does.Not.Contain("pf_token"));
            Assert.That(again.Stderr, Does.Not.Contain("warning"), "set now: no warning");
            Assert.That(validate.Stderr + diff.Stderr + apply.Stderr + again.ToString() + _node.Output, Does.Not.Contain(value).And.Not.Contain("unrelated"));
        });
    }

    [Test]
    public async Task Diff_SpecNamingAMissingRegistryAndAuthSecret_WarnsOfEachAndTheEndpointMeanwhile()
    {
        await AddRegistryAsync("team-registry", "127.0.0.1:5999", "bot", "pw");
        var file = Path.Combine(_node.Root, "reg.yaml");
        await File.WriteAllTextAsync(file, SpecYaml.V1("reg", replicas: 1, top: "containerRegistry: team-registy\nbasicAuthKey: secret:reg-pw"));

        var diff = await _node.CliAsync("diff", "-f", file);

        var lines = diff.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(diff.ExitCode, Is.EqualTo(1), "a new deployment is a change: " + diff);
            Assert.That(lines, Has.Length.EqualTo(2), diff.Stderr);
            Assert.That(lines[0], Does.StartWith($"{file}:4:20: warning: containerRegistry: 'team-registy' is not a stored registry connection (did you mean 'team-registry'?); this version starts no replica until: gradient-node registries add team-registy"));
            Assert.That(lines[1], Does.StartWith($"{file}:5:15: warning: basicAuthKey: secret 'reg-pw' is not set on this node; this version starts no replica until: gradient-node secrets set reg-pw")
                .And.Contain("its endpoint refuses every request"));
        });
    }
}
