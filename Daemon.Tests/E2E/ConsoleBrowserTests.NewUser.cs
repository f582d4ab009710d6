using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// The console as someone new meets it: an empty node says how a deployment gets there, the workflow lists read as
/// words and times (not the API's field names and ISO stamps), a failed run opens on the log of the job that failed, and
/// a deployment the node does not have is said so once, and one whose name is more than letters and digits opens.
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
        // The other lists too say how something gets there (before: "No workflows.", "No datasets.").
        await _page.GotoAsync(_console.Url + "#/workflows");
        Assert.That(await _page.Locator("#workflows #empty").InnerTextAsync(), Does.Contain("gradient-node workflows run -f FILE.yaml"));
        await _page.GotoAsync(_console.Url + "#/datasets");
        Assert.That(await _page.Locator("#datasets #empty").InnerTextAsync(), Does.Contain("gradient-node datasets create NAME"));
        await _page.GotoAsync(_console.Url + "#/");

        await _node.WriteSpecAsync("first.yaml", SpecYaml.V1("first", replicas: 1));
        await _page.Locator("#deployments tr[data-slug='first']").WaitForAsync(new() { Timeout = WaitMs });
        await hint.WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Hidden, Timeout = WaitMs });

        // A phone's width (390 px): the ten-column table scrolls sideways in its own box, the page does not (before, the
        // whole page did, header and all). The box is a wrapper: the table stays display:table, which screen readers read
        // as a table (before, the table itself was display:block to scroll), and the wrapper is a named, focusable region.
        await _page.SetViewportSizeAsync(390, 844);
        var widths = await _page.EvaluateAsync<string[]>(
            """
            () => {
              const table = document.querySelector('#deployments'), box = table.parentElement;
              box.scrollLeft = 40;
              return [String(document.documentElement.scrollWidth - document.documentElement.clientWidth), String(box.scrollWidth - box.clientWidth),
                getComputedStyle(table).display, box.getAttribute('role'), box.getAttribute('aria-label'), box.getAttribute('tabindex'), String(box.scrollLeft)];
            }
            """);
        Assert.Multiple(() =>
        {
            Assert.That(int.Parse(widths[0], System.Globalization.CultureInfo.InvariantCulture), Is.LessThanOrEqualTo(0), "the page scrolls sideways at 390 px");
            Assert.That(int.Parse(widths[1], System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0), "the table is wider than the window and scrolls in its wrapper");
            Assert.That(widths[2], Is.EqualTo("table"), "the table stays a table");
            Assert.That(widths[3..6], Is.EqualTo(new[] { "region", "Deployments", "0" }), "the wrapper: a named region keyboard users can focus");
            Assert.That(widths[6], Is.EqualTo("40"), "the wrapper scrolls");
        });
        await Screenshot("console-deployments-390px");
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
        run = await _node.CliAsync("workflows", "run", "-f", file, "--wait");
        Assert.That(run.Stdout, Does.Contain("workflow 'listed' run 2 started"), run.ToString());

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
        Assert.That(await runs.Locator("td[data-field='phase'] [data-state='FAILED']").CountAsync(), Is.EqualTo(2));
        Assert.That(await runs.Locator("td[data-field='finished'] time").First.InnerTextAsync(), Does.Not.Contain("+00:00"));
        // The newest run on top (the API lists oldest first): before, run 200 of 200 was the last row.
        Assert.That(await runs.Locator("td[data-field='run']").AllInnerTextsAsync(), Is.EqualTo(new[] { "2", "1" }));
    }

    [Test]
    public async Task WorkflowRun_FailedRun_OpensOnTheLogOfTheJobThatFailed()
    {
        var marker = $"why-it-failed-{Guid.NewGuid():N}";
        var file = Path.Combine(_node.Root, "broke.yaml");
        await File.WriteAllTextAsync(file, $$"""
            jobs:
              prepare:
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, "echo preparing"]
              train:
                needs: [prepare]
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, "echo {{marker}}; exit 3"]
            """);
        var run = await _node.CliAsync("workflows", "run", "-f", file, "--wait");
        Assert.That(run.Stdout, Does.Contain("workflow 'broke' run 1 started"), run.ToString());

        await _page.GotoAsync(_console.Url + "#/w/broke/1");
        await _page.Locator("#dag g[data-job='train'][data-phase='FAILED']").WaitForAsync(new() { Timeout = WaitMs });
        // Before: the first job's log (prepare, which succeeded) was shown; the reason the run failed was a click away.
        await _page.Locator("#job-logs", new() { HasTextString = marker }).WaitForAsync(new() { Timeout = WaitMs });
        Assert.That(await _page.Locator("#job-logs-name").InnerTextAsync(), Is.EqualTo("train"));
        await Screenshot("console-workflow-run-failed");

        // A job the user picks stays picked.
        await _page.Locator("button.show-log[data-job='prepare']").ClickAsync();
        await _page.Locator("#job-logs", new() { HasTextString = "preparing" }).WaitForAsync(new() { Timeout = WaitMs });
        // Wait for the next poll: it redraws the jobs table, dropping this mark.
        await _page.EvalOnSelectorAsync("#jobs", "t => t.setAttribute('data-seen', '1')");
        await _page.Locator("#jobs:not([data-seen])").WaitForAsync(new() { Timeout = WaitMs });
        Assert.That(await _page.Locator("#job-logs-name").InnerTextAsync(), Is.EqualTo("prepare"), "the next poll does not switch back");
    }

    [Test]
    public async Task Pages_UnknownDeploymentRunOrDataset_SayItOnceWithoutActionsOrLogs()
    {
        await _page.GotoAsync(_console.Url + "#/d/nope");

        var notFound = _page.Locator("#not-found");
        await notFound.WaitForAsync(new() { Timeout = WaitMs });
        Assert.That(await notFound.InnerTextAsync(), Does.StartWith("no deployment 'nope' on this node"));
        // Before: Restart, Enable, Disable and Scale for a deployment that does not exist, an empty chart section, and the
        // error printed into the log pane.
        Assert.That(await _page.Locator("#restart, #scale, #logs, #charts").CountAsync(), Is.Zero);
        Assert.That(await _page.Locator("main a[href='#/']").CountAsync(), Is.EqualTo(1));
        await Screenshot("console-deployment-unknown");

        // A name of 128 characters without a space wraps in its heading (before, the h1 widened the page by ~1,000 px).
        await _page.GotoAsync(_console.Url + "#/d/" + new string('a', 128));
        await _page.Locator("#not-found").WaitForAsync(new() { Timeout = WaitMs });
        Assert.That(await _page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth"), Is.LessThanOrEqualTo(0),
            "horizontal overflow in px with a 128-character name");

        // A workflow run and a dataset the node does not keep say so once too (before: the error in red in the header at
        // every poll, over an empty DAG and a log pane that spoke of replicas).
        await _page.GotoAsync(_console.Url + "#/w/nope/7");
        await _page.Locator("#not-found", new() { HasTextString = "no workflow 'nope'" }).WaitForAsync(new() { Timeout = WaitMs });
        Assert.That(await _page.Locator("#dag, #job-logs").CountAsync(), Is.Zero);
        Assert.That(await _page.Locator("main a[href='#/w/nope']").CountAsync(), Is.EqualTo(1));
        await _page.GotoAsync(_console.Url + "#/ds/nope");
        await _page.Locator("#not-found", new() { HasTextString = "no dataset 'nope'" }).WaitForAsync(new() { Timeout = WaitMs });
        Assert.That(await _page.Locator("#conn").InnerTextAsync(), Is.Empty, "the header is for the daemon's reachability");
    }

    [Test]
    public async Task Deployment_ReplicaPrintsNothing_LogPaneSaysNoLinesYetAndThePageAnswersHead()
    {
        // busybox httpd (gradient-test/web) prints nothing while it serves.
        await _node.WriteSpecAsync("quiet.yaml", SpecYaml.V1("quiet", replicas: 1));
        await _node.WaitForStatusAsync("quiet", s => s.State == DeploymentState.Ready, "Ready");

        // The page's clock stands still: no timer fires, only what the page does at once. The "Last hour" charts are drawn
        // as soon as the first status names the deployment (before, the first draw waited for the history's next 10 s
        // tick, and the heading stood over nothing).
        await _page.Clock.InstallAsync(new() { TimeDate = DateTime.Now });
        await _page.Clock.PauseAtAsync(DateTime.Now.AddSeconds(1));
        await _page.GotoAsync(_console.Url + "#/d/quiet");
        var logs = _page.Locator("#logs");
        await logs.WaitForAsync(new() { Timeout = WaitMs });
        await _page.Locator("#charts figure svg[aria-label^='Replicas ready']").WaitForAsync(new() { Timeout = WaitMs });
        // Before: an empty black box, the same as a log that failed to load.
        Assert.That(await logs.EvaluateAsync<string>("e => getComputedStyle(e, '::before').content"), Does.Contain("No log lines yet"));
        Assert.That(await _page.Locator("link[rel='icon']").CountAsync(), Is.EqualTo(1), "no favicon request that 404s on every page");

        using var http = new HttpClient();
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, _console.Url));
        Assert.That((int)head.StatusCode, Is.EqualTo(200), "curl -I of the console got 405 before");
    }

    [Test]
    public async Task Deployment_NameWithAccentsPunctuationAndASlash_OpensFromTheListWithItsSpecAndState()
    {
        // A name the spec parser takes (spec.md's example is "Café Crème"). Before, the list linked to it and its page
        // said "the console does not forward this call: deleted, or a name mistyped": only [A-Za-z0-9 ._-] passed.
        const string name = "Café Crème (v2) <b>team/x</b>";
        await _node.WriteSpecAsync("cafe.yaml", SpecYaml.V1($"\"{name}\"", replicas: 1));
        await _node.WaitForStatusAsync("cafe-creme-v2-b-team-x-b", s => s.State == DeploymentState.Ready, "Ready");
        var refused = new List<string>();
        _page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                refused.Add($"{response.Status} {response.Url}");
            }
        };

        await _page.GotoAsync(_console.Url);
        await _page.Locator("#deployments a", new() { HasTextString = name }).ClickAsync(new() { Timeout = WaitMs });

        await _page.Locator("#state", new() { HasTextString = "Ready" }).WaitForAsync(new() { Timeout = WaitMs });
        Assert.That(await _page.Locator("main h1").InnerTextAsync(), Is.EqualTo(name));
        Assert.That(await _page.Locator("#replicas tbody tr").CountAsync(), Is.EqualTo(1));
        await _page.Locator("#spec-details summary").ClickAsync();
        await _page.Locator("#spec-details", new() { HasTextString = "Café Crème" }).WaitForAsync(new() { Timeout = WaitMs });
        Assert.That(refused, Is.Empty, "every call of the page was forwarded");
    }
}
