using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// The console as someone new meets it: an empty node says how a deployment gets there, and the workflow lists read as
/// words and times (not the API's field names and ISO stamps).
/// </summary>
internal sealed partial class ConsoleBrowserTests
{
    [Test]
    public async Task Deployments_EmptyNode_SaysWhereToPutASpecAndHowToApplyOne()
    {
        await _page.GotoAsync(_console.Url);

        var hint = _page.Locator("#no-deployments");
        await hint.WaitForAsync(new() { Timeout = WaitMs });
        // Before: "0 of 0 deployments" over an empty table, and nothing about what to do next.
        Assert.That(await hint.InnerTextAsync(), Does.Contain($"Put a spec file in {_node.SpecsDir}").And.Contain("gradient-node apply -f FILE.yaml"));
        await Screenshot("console-deployments-empty");

        await _node.WriteSpecAsync("first.yaml", SpecYaml.V1("first", replicas: 1));
        await _page.Locator("#deployments tr[data-slug='first']").WaitForAsync(new() { Timeout = WaitMs });
        await hint.WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Hidden, Timeout = WaitMs });
    }

    [Test]
    public async Task Workflows_ListAndRuns_ShowHeadingsInWordsPhasesAsBadgesAndReadableTimes()
    {
        var file = Path.Combine(_node.Root, "listed.yaml");
        await File.WriteAllTextAsync(file, """
            jobs:
              only:
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, "exit 2"]
            """);
        var run = await _node.CliAsync("workflows", "run", "-f", file, "--wait");
        Assert.That(run.Stdout, Does.Contain("workflow 'listed' run 1 started"), run.ToString());

        await _page.GotoAsync(_console.Url + "#/workflows");
        var table = _page.Locator("#workflows table");
        await table.WaitForAsync(new() { Timeout = WaitMs });
        // Before: the headings were the API's fields (lastRun, lastPhase, lastCreated) and the time an ISO stamp.
        Assert.That(await table.Locator("th").AllInnerTextsAsync(), Is.EqualTo(new[] { "Workflow", "Runs", "Last run", "Last phase", "Last run created" }));
        Assert.That(await table.Locator("td[data-field='lastPhase'] [data-state='FAILED']").CountAsync(), Is.EqualTo(1));
        var created = table.Locator("td[data-field='lastCreated'] time");
        Assert.That(await created.GetAttributeAsync("datetime"), Does.Match(@"^\d{4}-\d\d-\d\dT"));
        Assert.That(await created.InnerTextAsync(), Does.Not.Contain("T").And.Not.Contain("+00:00"));
        await Screenshot("console-workflows-list");

        await table.Locator("a[href='#/w/listed']").ClickAsync();
        var runs = _page.Locator("#workflows table");
        await runs.Locator("a[href='#/w/listed/1']").WaitForAsync(new() { Timeout = WaitMs });
        Assert.That(await runs.Locator("th").AllInnerTextsAsync(), Is.EqualTo(new[] { "Run", "Phase", "Created", "Started", "Finished", "Message" }));
        Assert.That(await runs.Locator("td[data-field='phase'] [data-state='FAILED']").CountAsync(), Is.EqualTo(1));
        Assert.That(await runs.Locator("td[data-field='finished'] time").InnerTextAsync(), Does.Not.Contain("+00:00"));
    }
}
