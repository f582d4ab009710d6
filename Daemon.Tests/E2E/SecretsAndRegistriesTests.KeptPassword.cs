using System.Net;
using System.Text;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// A re-apply whose <c>basicAuthKey</c> names a secret that does not exist (a typo): the new version starts nothing, the
/// old replica goes on serving, and so does its password. Before, the route switched to "nobody gets in" at once, and
/// the last good version answered 401 to its own password (found by the new-user tryout).
/// </summary>
internal sealed partial class SecretsAndRegistriesTests
{
    [Test]
    public async Task BasicAuthKey_ReappliedWithASecretThatDoesNotExist_TheLastGoodVersionKeepsServingWithItsPassword()
    {
        await _node.CliWithInputAsync("kept_password", "secrets", "set", "kept_key");
        await _node.WriteSpecAsync("kept.yaml", SpecYaml.V1("kept", replicas: 1, top: "basicAuthKey: secret:kept_key"));
        await _node.WaitForStatusAsync("kept", s => s.State == DeploymentState.Ready, "Ready");
        await _node.WaitForRouteAsync("kept", code => code == HttpStatusCode.Unauthorized);

        await _node.WriteSpecAsync("kept.yaml", SpecYaml.V1("kept", replicas: 1, top: "basicAuthKey: secret:kept_kye"));
        var status = await _node.WaitForStatusAsync("kept", s => s.Message?.Contains("kept_kye", StringComparison.Ordinal) == true, "the typo named in the status");
        await TestTimeouts.WaitUntilAsync(
            () => _node.Output.Contains("keeps the password of secret kept_key", StringComparison.Ordinal),
            "the route publisher to keep the last password (event 1204)");

        using var http = new HttpClient();
        using var right = _node.ProxyRequest("kept", "/");
        right.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("paperspace:kept_password")));
        using var ok = await http.SendAsync(right);
        using var anonymous = await http.SendAsync(_node.ProxyRequest("kept", "/"));

        Assert.Multiple(() =>
        {
            Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the old replica serves with its password");
            Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "never open");
            Assert.That(status.Replicas.Count(r => r.Ready), Is.EqualTo(1), "the last good version keeps serving");
            Assert.That(_node.Output, Does.Not.Contain("kept_password"));
        });
    }
}
