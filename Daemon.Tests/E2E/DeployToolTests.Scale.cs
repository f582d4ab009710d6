using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary><c>scale</c> through the published binary: the count as the last word or as <c>--replicas</c>.</summary>
internal sealed partial class DeployToolTests
{
    [Test]
    public async Task Scale_CountAsTheLastWordThenByOption_EditsTheSpecAndTheReplicasFollow()
    {
        await _node.WriteSpecAsync("scale-me.yaml", SpecYaml.V1("scale me", replicas: 1));
        await _node.WaitForStatusAsync("scale me", s => s.State == DeploymentState.Ready, "Ready with 1");

        var up = await _node.CliAsync("scale", "scale", "me", "2");

        Assert.That(up.ExitCode, Is.Zero, up.ToString());
        Assert.That(up.Stdout, Does.Contain("'scale me' scaled to 2 replicas"));
        Assert.That(await File.ReadAllTextAsync(_node.SpecPath("scale-me.yaml")), Does.Contain("replicas: 2"));
        await _node.WaitForStatusAsync("scale me", s => s.State == DeploymentState.Ready && s.ReadyReplicas == 2, "Ready with 2");

        var down = await _node.CliAsync("scale", "scale", "me", "--replicas", "1");
        var missing = await _node.CliAsync("scale", "scale", "me");
        var negative = await _node.CliAsync("scale", "scale", "me", "-1");

        Assert.Multiple(() =>
        {
            Assert.That(down.ExitCode, Is.Zero, down.ToString());
            Assert.That(down.Stdout, Does.Contain("'scale me' scaled to 1 replica"));
            Assert.That(missing.ExitCode, Is.EqualTo(2), missing.ToString());
            Assert.That(missing.Stderr, Does.Contain("scale needs a count: scale NAME N, or scale NAME --replicas N"));
            Assert.That(negative.ExitCode, Is.EqualTo(2), negative.ToString());
            Assert.That(negative.Stderr, Does.Contain("the count must be a whole number from 0 to 64, not '-1'"), "not \"unknown option -1\"");
        });
    }

    [Test]
    public async Task Scale_ToZero_ProxyAnswers503ScaledToZeroNotDisabled()
    {
        // proxy19: before, the proxy answered "deployment 'NAME' is disabled" for a deployment scaled to 0 (enabled: true).
        await _node.WriteSpecAsync("zero-route.yaml", SpecYaml.V1("zero route", replicas: 1));
        await _node.WaitForStatusAsync("zero route", s => s.State == DeploymentState.Ready, "Ready with 1");
        await _node.WaitForRouteAsync("zero-route");

        var down = await _node.CliAsync("scale", "zero route", "0");
        Assert.That(down.ExitCode, Is.Zero, down.ToString());
        var scaled = await ProxyBodyAsync("zero-route", "deployment 'zero route' is scaled to 0 (resources.replicas: 0)\n");

        await _node.WriteSpecAsync("zero-route.yaml", SpecYaml.V1("zero route", replicas: 0, top: "enabled: false"));
        var disabled = await ProxyBodyAsync("zero-route", "deployment 'zero route' is disabled\n");

        Assert.Multiple(() =>
        {
            Assert.That(scaled.Status, Is.EqualTo(System.Net.HttpStatusCode.ServiceUnavailable));
            Assert.That(scaled.RetryAfter, Is.False, "off on purpose: nothing to retry after");
            Assert.That(disabled.Status, Is.EqualTo(System.Net.HttpStatusCode.ServiceUnavailable));
        });
    }

    /// <summary>Asks the proxy until it answers <paramref name="expected"/> (the route table trails the status by a moment).</summary>
    private async Task<(System.Net.HttpStatusCode Status, bool RetryAfter)> ProxyBodyAsync(string slug, string expected)
    {
        using var http = new HttpClient();
        var last = string.Empty;
        (System.Net.HttpStatusCode Status, bool RetryAfter) answer = default;
        await Infrastructure.TestTimeouts.WaitUntilAsync(
            async () =>
            {
                using var response = await http.SendAsync(_node.ProxyRequest(slug, "/"));
                last = await response.Content.ReadAsStringAsync();
                answer = (response.StatusCode, response.Headers.RetryAfter is not null);
                return last == expected;
            },
            Infrastructure.TestTimeouts.Container,
            () => $"the proxy to answer {expected.TrimEnd()} (last: {(int)answer.Status} {last.TrimEnd()})");
        return answer;
    }
}
