using GradientNode.Daemon.WebConsole;
using NUnit.Framework;

namespace GradientNode.Tests.WebConsole;

[TestFixture]
[Category("Unit")]
internal sealed class ConsoleRoutesTests
{
    private static Func<string, string?> Query(params (string Name, string Value)[] pairs) =>
        name => pairs.Where(p => p.Name == name).Select(p => p.Value).FirstOrDefault();

    [TestCase("GET", "deployments", "/v1/deployments")]
    [TestCase("GET", "node", "/v1/node")]
    [TestCase("GET", "datasets", "/v1/datasets")]
    [TestCase("GET", "workflows", "/v1/workflows")]
    [TestCase("GET", "deployments/my app", "/v1/deployments/my%20app")]
    [TestCase("GET", "history", "/v1/history")]
    [TestCase("GET", "workflows/train/runs", "/v1/workflows/train/runs")]
    [TestCase("GET", "datasets/images/versions", "/v1/datasets/images/versions")]
    [TestCase("GET", "datasets/images/users", "/v1/datasets/images/users")]
    [TestCase("GET", "workflows/train/runs/3", "/v1/workflows/train/runs/3")]
    [TestCase("GET", "deployments/my app/spec", "/v1/deployments/my%20app/spec?onDisk=true")]
    [TestCase("GET", "workflows/train/runs/3/logs", "/v1/workflows/train/runs/3/logs")]
    [TestCase("POST", "deployments/web/restart", "/v1/deployments/web/restart")]
    [TestCase("POST", "deployments/web/enable", "/v1/deployments/web/enable")]
    [TestCase("POST", "deployments/web/disable", "/v1/deployments/web/disable")]
    public void Map_WhitelistedCall_GivesTheDaemonRoute(string method, string path, string expected) =>
        Assert.That(ConsoleRoutes.Map(method, path, Query())?.DaemonPath, Is.EqualTo(expected));

    [TestCase("GET", "secrets")]
    [TestCase("GET", "registries")]
    [TestCase("GET", "datasets/images/versions/latest/content")]
    [TestCase("GET", "datasets/../secrets/users")]
    [TestCase("GET", "registries/ghcr")]
    [TestCase("GET", "metrics")]
    [TestCase("GET", "health/../secrets")]
    [TestCase("GET", "deployments/../secrets")]
    [TestCase("GET", "deployments/..")]
    [TestCase("GET", "deployments/web/restart")]
    [TestCase("POST", "deployments/web")]
    [TestCase("POST", "deployments/web/delete")]
    [TestCase("POST", "deployments/web/scale")]
    [TestCase("PUT", "deployments/web")]
    [TestCase("DELETE", "deployments/web")]
    [TestCase("POST", "secrets/x")]
    [TestCase("POST", "workflows/train/runs")]
    [TestCase("POST", "workflows/train/runs/3/cancel")]
    [TestCase("GET", "workflows/train/runs/x/logs")]
    [TestCase("GET", "workflows/../runs/3/logs")]
    [TestCase("GET", "deployments/../spec")]
    [TestCase("GET", "workflows/train/runs/x")]
    [TestCase("POST", "models/x")]
    [TestCase("GET", "deployments/web\n")]
    [TestCase("GET", "deployments/日本語")]
    [TestCase("GET", "deployments/%2F")]
    [TestCase("POST", "deployments/../restart")]
    [TestCase("POST", "deployments/web\n/restart")]
    public void Map_AnythingElse_IsNull(string method, string path) =>
        Assert.That(ConsoleRoutes.Map(method, path, Query()), Is.Null);

    // Names the spec parser takes (spec.md's own example is "Café Crème") were listed by the console, and their page
    // said "the console does not forward this call": only [A-Za-z0-9 ._-] passed.
    [TestCase("GET", "deployments/Café Crème (v2)", "/v1/deployments/Caf%C3%A9%20Cr%C3%A8me%20%28v2%29")]
    [TestCase("GET", "deployments/a+b:c/spec", "/v1/deployments/a%2Bb%3Ac/spec?onDisk=true")]
    [TestCase("GET", "deployments/50% off?#x/logs", "/v1/deployments/50%25%20off%3F%23x/logs")]
    [TestCase("POST", "deployments/<b>x<%2Fb>/restart", "/v1/deployments/%3Cb%3Ex%3C%2Fb%3E/restart")]
    [TestCase("GET", "deployments/team%2Fapp", "/v1/deployments/team%2Fapp")]
    public void Map_DeploymentNameTheParserTakes_IsForwardedAsOneEscapedSegment(string method, string path, string expected) =>
        Assert.That(ConsoleRoutes.Map(method, path, Query())?.DaemonPath, Is.EqualTo(expected));

    [Test]
    public void Map_Scale_PassesOnlyADigitReplicaCount()
    {
        Assert.That(ConsoleRoutes.Map("POST", "deployments/web/scale", Query(("replicas", "3")))?.DaemonPath, Is.EqualTo("/v1/deployments/web/scale?replicas=3"));
        Assert.That(ConsoleRoutes.Map("POST", "deployments/web/scale", Query(("replicas", "3&x=1"))), Is.Null);
        Assert.That(ConsoleRoutes.Map("POST", "deployments/web/scale", Query(("replicas", "-1"))), Is.Null);
    }

    [Test]
    public void Map_Logs_KeepsOnlyTailReplicaAndFollow()
    {
        var route = ConsoleRoutes.Map("GET", "deployments/web/logs", Query(("tail", "50"), ("replica", "1"), ("follow", "true"), ("since", "x"), ("path", "/etc")));

        Assert.That(route?.DaemonPath, Is.EqualTo("/v1/deployments/web/logs?tail=50&replica=1&follow=true"));
        Assert.That(route!.Stream, Is.True);
    }

    [Test]
    public void Map_RunLogs_KeepsOnlyAPlainJobADigitsTailAndFollow()
    {
        // The job log pane asks for a bounded tail first (before, tail was dropped here: the daemon had none for runs).
        var route = ConsoleRoutes.Map("GET", "workflows/train/runs/2/logs", Query(("job", "job-1"), ("follow", "true"), ("tail", "5"), ("since", "1")));

        Assert.That(route?.DaemonPath, Is.EqualTo("/v1/workflows/train/runs/2/logs?job=job-1&tail=5&follow=true"));
        Assert.That(ConsoleRoutes.Map("GET", "workflows/train/runs/2/logs", Query(("job", "a"), ("tail", "5&x=1")))?.DaemonPath, Is.EqualTo("/v1/workflows/train/runs/2/logs?job=a"));
        Assert.That(route!.Stream, Is.True);
        Assert.That(ConsoleRoutes.Map("GET", "workflows/train/runs/2/logs", Query(("job", "a&follow=x")))?.DaemonPath, Is.EqualTo("/v1/workflows/train/runs/2/logs"));
    }
}
