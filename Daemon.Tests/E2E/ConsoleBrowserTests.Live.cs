using System.Globalization;
using System.Text.RegularExpressions;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using Microsoft.Playwright;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// Live figures: an autoscaled deployment's metrics and last scale, the deployments table's endpoint, traffic and
/// last-change columns under real requests through the proxy, and the console served by the daemon itself.
/// </summary>
internal sealed partial class ConsoleBrowserTests
{
    [Test]
    public async Task Deployment_Autoscaled_ShowsEachMetricAndTheLastScaleWithItsReason()
    {
        await _node.WriteSpecAsync("auto.yaml", $"""
            apiVersion: v1
            name: auto
            image: {TestEnvironment.WebImage}
            resources:
              machineType: C4
              ports: [8080]
              replicas: 1
              autoscaling:
                enabled: true
                maxReplicas: 2
                metrics:
                  - metric: requestDuration
                    summary: average
                    value: 0.05
            """);
        await _node.WaitForStatusAsync("auto", s => s.State == DeploymentState.Ready && s.Autoscaling?.EvaluatedAt is not null, "Ready and evaluated");
        await _node.WaitForRouteAsync("auto");

        await _page.GotoAsync(_console.Url + "#/d/auto");
        var metric = _page.Locator("#autoscaler-metrics tr[data-metric='requestDuration']");
        await metric.Locator("td.target", new() { HasTextString = "50 ms" }).WaitForAsync();
        Assert.That(await _page.Locator("#last-scale").InnerTextAsync(), Is.EqualTo("Last scale: none yet"));

        // Requests of 0.3 s against a 0.05 s target: the short window is far above twice the target (panic mode), so
        // the autoscaler goes to its maximum at its next evaluation. Send them one by one until it has.
        using (var http = new HttpClient { Timeout = TestTimeouts.Request })
        {
            await TestTimeouts.WaitUntilAsync(
                async () =>
                {
                    using var response = await http.SendAsync(_node.ProxyRequest("auto", "/cgi-bin/slow?0.3"));
                    return (await _node.StatusAsync("auto"))?.DesiredReplicas == 2;
                },
                TestTimeouts.Rollout,
                "the autoscaler's scale to 2 under slow requests");
        }

        var lastScale = _page.Locator("#last-scale", new() { HasTextString = "1 → 2" });
        await lastScale.WaitForAsync();
        var status = (await _node.StatusAsync("auto"))!.Autoscaling!;
        var text = await lastScale.InnerTextAsync();
        Assert.That(text, Does.StartWith("Last scale: 1 → 2 at ").And.EndWith(": " + status.LastScale!.Reason));
        Assert.That(status.LastScale.Reason, Does.Contain("requestDuration").And.Contain("above target 0.05 s"));
        var at = await lastScale.Locator("time").GetAttributeAsync("datetime");
        Assert.That(DateTimeOffset.Parse(at!, CultureInfo.InvariantCulture), Is.EqualTo(status.LastScale.At));
        Assert.That(await metric.Locator("td.value").InnerTextAsync(), Does.Match(@"^[0-9.]+ ms$"));
        Assert.That(await metric.Locator("td.proposal").InnerTextAsync(), Does.Match(@"^[0-9]+$"));
        await _page.Locator("#autoscaler", new() { HasTextString = "1–2 replicas; now 2" }).WaitForAsync();

        // The history lists every change the status keeps, newest first; here the one scale, with its reason.
        Assert.That(status.Scales.Select(s => (s.From, s.To)), Is.EqualTo(new[] { (1, 2) }));
        var history = _page.Locator("#scale-history tbody tr");
        await _page.Locator("#scale-history td.reason", new() { HasTextString = status.LastScale.Reason }).WaitForAsync();
        Assert.That(await history.CountAsync(), Is.EqualTo(status.Scales.Count));
        Assert.That(await history.First.Locator("td.from").InnerTextAsync(), Is.EqualTo("1"));
        Assert.That(await history.First.Locator("td.to").InnerTextAsync(), Is.EqualTo("2"));
        await Screenshot("console-deployment-autoscaler");
    }

    [Test]
    public async Task Deployments_TrafficThroughTheProxy_ShowsEndpointRateDurationsAndLastChange()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await _node.WriteSpecAsync("busy.yaml", SpecYaml.V1("busy", replicas: 1));
        var ready = await _node.WaitForStatusAsync("busy", s => s.State == DeploymentState.Ready, "Ready");
        await _node.WaitForRouteAsync("busy");

        await _page.GotoAsync(_console.Url);
        var row = _page.Locator("#deployments tr[data-slug='busy']");
        await row.Locator("[data-state='Ready']").WaitForAsync();
        Assert.That(ready.Endpoint, Is.Not.Null);
        Assert.That(await row.Locator("td.endpoint a").GetAttributeAsync("href"), Is.EqualTo(ready.Endpoint));

        // Requests of 0.1 s one after another while the page polls: the rate between two polls is above zero.
        using var stop = new CancellationTokenSource();
        var load = Task.Run(async () =>
        {
            using var http = new HttpClient { Timeout = TestTimeouts.Request };
            while (!stop.IsCancellationRequested)
            {
                using var response = await http.SendAsync(_node.ProxyRequest("busy", "/cgi-bin/slow?0.1"), CancellationToken.None);
            }
        });
        try
        {
            await row.Locator("td.rps", new() { HasTextRegex = new Regex(@"^([1-9][0-9]*\.[0-9]|0\.[1-9])$") }).WaitForAsync();
            await row.Locator("td.p50", new() { HasTextRegex = new Regex(@"^[0-9.]+ ms$") }).WaitForAsync();
            await row.Locator("td.p99", new() { HasTextRegex = new Regex(@"^[0-9.]+ ms$") }).WaitForAsync();
        }
        finally
        {
            await stop.CancelAsync();
            await load;
        }

        var changed = await row.Locator("td.last-change time").GetAttributeAsync("datetime");
        Assert.That(DateTimeOffset.Parse(changed!, CultureInfo.InvariantCulture), Is.InRange(before, DateTimeOffset.UtcNow));
        await Screenshot("console-deployments-traffic");
    }

    [Test]
    public async Task Deployments_ConsoleServedByTheDaemon_ShowsTheDeploymentReady()
    {
        // This test's console is the daemon's own (node.yaml `console`): replace the node and console SetUp started.
        await _console.DisposeAsync();
        _console = null!;
        await _node.DisposeAsync();
        _node = GradientNodeProcess.Prepare();
        var port = GradientNodeProcess.FreePort();
        Directory.CreateDirectory(_node.Root);
        var config = Path.Combine(_node.Root, "node.yaml");
        await File.WriteAllTextAsync(config, $"console: {{listen: 127.0.0.1:{port}}}\n");
        await _node.StartAsync(["--config", config]);
        await _node.WriteSpecAsync("web.yaml", SpecYaml.V1("web", replicas: 1));

        await _page.GotoAsync($"http://127.0.0.1:{port}/");
        var row = _page.Locator("#deployments tr[data-slug='web']");
        await row.Locator("[data-state='Ready']").WaitForAsync();
        Assert.That(await row.Locator(".ready").InnerTextAsync(), Is.EqualTo("1/1"));
        await row.Locator("td").First.Locator("a").ClickAsync();
        await _page.Locator("#state [data-state='Ready']").WaitForAsync();
        await Screenshot("console-daemon-served");

        // The daemon restarts under the open page: a banner says contact is lost and since when, the page is marked
        // stale (never a silent last "Ready"), and both go once the daemon answers again.
        await _node.StopAsync();
        var conn = _page.Locator("#conn.down");
        await conn.WaitForAsync();
        Assert.That(await conn.InnerTextAsync(), Does.StartWith("Lost contact with the daemon at ").And.Contain("may be out of date"));
        Assert.That(await _page.Locator("body[data-stale]").CountAsync(), Is.EqualTo(1));
        // The log pane's follow stream says it ended (before: nothing, or a bare fetch error never followed again).
        await _page.Locator("#logs", new() { HasTextString = "(log stream ended at " }).WaitForAsync();
        await Screenshot("console-daemon-lost");
        await _node.StartAsync(["--config", config]);
        await _page.Locator("body:not([data-stale])").WaitForAsync();
        await _page.Locator("#state [data-state='Ready']").WaitForAsync();
        Assert.That(await _page.Locator("#conn").InnerTextAsync(), Is.Empty);
        await _page.Locator("#logs", new() { HasNotTextString = "(log stream ended at " }).WaitForAsync();
    }
}
