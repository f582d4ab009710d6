using System.Text.RegularExpressions;
using GradientNode.Core.Status;
using Microsoft.Playwright;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>The deployment page's spec file with its errors, a workflow run's DAG, job logs and dataset versions, and a dataset's users.</summary>
internal sealed partial class ConsoleBrowserTests
{
    [Test]
    public async Task Deployment_InvalidSpec_ShowsEachErrorUnderItsLine()
    {
        await _node.WriteSpecAsync("broken.yaml", "apiVersion: v1\nname: broken\nimage: gradient-test/web:1\nresources:\n  machineType: C4\n  ports: [8080]\n  replicas: two\n");
        await _node.WaitForStatusAsync("broken", s => s.State == DeploymentState.Invalid, "Invalid");

        await _page.GotoAsync(_console.Url + "#/d/broken");
        var line = _page.Locator("#spec li.has-error");
        await line.WaitForAsync(new() { Timeout = WaitMs });

        Assert.That(await line.GetAttributeAsync("id"), Is.EqualTo("spec-line-7"));
        Assert.That(await line.Locator("code").InnerTextAsync(), Is.EqualTo("  replicas: two"));
        Assert.That(await line.Locator(".spec-error").InnerTextAsync(), Does.Contain("7:13: resources.replicas: expected an integer"));
        Assert.That(await _page.Locator("#spec li").CountAsync(), Is.EqualTo(7));
        await Screenshot("console-deployment-invalid");
    }

    [Test]
    public async Task Deployment_ScaledToZero_OffersScaleNotEnableAndScaleStartsIt()
    {
        // proxy19: before, Enable was offered on a deployment scaled to 0 (enabled: true), answered "enabled" and started nothing.
        await _node.WriteSpecAsync("zero.yaml", SpecYaml.V1("zero", replicas: 0));
        await _node.WaitForStatusAsync("zero", s => s.State == DeploymentState.Disabled, "Disabled");

        await _page.GotoAsync(_console.Url + "#/d/zero");
        await _page.Locator("#off-note", new() { HasTextString = "Scaled to 0 (resources.replicas: 0), not disabled: set Replicas above 0 and Scale to start it." })
            .WaitForAsync(new() { Timeout = WaitMs });
        Assert.Multiple(async () =>
        {
            Assert.That(await _page.Locator("#enable").IsDisabledAsync(), Is.True, "Enable would change nothing");
            Assert.That(await _page.Locator("#disable").IsEnabledAsync(), Is.True);
            Assert.That(await _page.Locator("#scale-replicas").InputValueAsync(), Is.EqualTo("1"), "Scale as it stands starts it");
        });
        await Screenshot("console-deployment-scaled-to-zero");

        await _page.ClickAsync("#scale");
        await _page.Locator("#action-result", new() { HasTextString = "scaled to 1 replica" }).WaitForAsync(new() { Timeout = WaitMs });
        await _page.Locator("#ready", new() { HasTextString = "1/1" }).WaitForAsync(new() { Timeout = WaitMs });
        await _page.Locator("#off-note").WaitForAsync(new() { State = WaitForSelectorState.Hidden, Timeout = WaitMs });
        Assert.That(await _page.Locator("#enable").IsDisabledAsync(), Is.True, "enabled already");

        // Disabled (enabled: false), Enable is what starts it again, and Disable is not offered.
        await _page.ClickAsync("#disable");
        await _page.Locator("#off-note", new() { HasTextString = "Disabled (enabled: false): Enable starts it again." }).WaitForAsync(new() { Timeout = WaitMs });
        Assert.Multiple(async () =>
        {
            Assert.That(await _page.Locator("#enable").IsEnabledAsync(), Is.True);
            Assert.That(await _page.Locator("#disable").IsDisabledAsync(), Is.True);
        });
    }

    [Test]
    public async Task WorkflowRun_Page_ShowsTheDagWithEdgesPhasesAndAJobLog()
    {
        var marker = $"train-says-{Guid.NewGuid():N}";
        var file = Path.Combine(_node.Root, "pipeline.yaml");
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
                  args: [sh, -c, "echo {{marker}}"]
              evaluate:
                needs: [prepare]
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, "exit 3"]
              report:
                needs: [train, evaluate]
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, "true"]
            """);
        var run = await _node.CliAsync("workflows", "run", "-f", file, "--wait");
        Assert.That(run.Stdout, Does.Contain("workflow 'pipeline' run 1 started"), run.ToString());

        await _page.GotoAsync(_console.Url + "#/w/pipeline/1");
        var dag = _page.Locator("#dag");
        await dag.Locator("g[data-job='train'][data-phase='SUCCEEDED']").WaitForAsync(new() { Timeout = WaitMs });
        Assert.That(await dag.Locator("g[data-job='prepare'][data-phase='SUCCEEDED']").CountAsync(), Is.EqualTo(1));
        Assert.That(await dag.Locator("g[data-job='evaluate'][data-phase='FAILED']").CountAsync(), Is.EqualTo(1));
        Assert.That(await dag.Locator("g[data-job='report'][data-phase='SKIPPED']").CountAsync(), Is.EqualTo(1));
        foreach (var (from, to) in new[] { ("prepare", "train"), ("prepare", "evaluate"), ("train", "report"), ("evaluate", "report") })
        {
            Assert.That(await dag.Locator($"path.edge[data-from='{from}'][data-to='{to}']").CountAsync(), Is.EqualTo(1), $"edge {from} → {to}");
        }

        Assert.That(await dag.Locator("path.edge").CountAsync(), Is.EqualTo(4));
        Assert.That(await _page.Locator("#run-commands").TextContentAsync(), Is.EqualTo("To delete this run and its logs: gradient-node workflows delete pipeline 1"),
            "an ended run's page names the CLI's delete (the console itself does not delete)");

        // An error answer is said as one, not shown as log text (before: `{"error":"…"}` in the pane, as if the job printed it).
        await _page.RouteAsync(new System.Text.RegularExpressions.Regex("/api/workflows/pipeline/runs/1/logs\\?job=train"),
            route => route.FulfillAsync(new() { Status = 502, ContentType = "application/json", Body = "{\"error\":\"cannot reach the daemon\"}" }), new() { Times = 1 });
        await dag.Locator("g[data-job='train']").ClickAsync();
        await _page.Locator("#job-logs", new() { HasTextString = "log not available: 502" }).WaitForAsync(new() { Timeout = WaitMs });
        Assert.That(await _page.Locator("#job-logs").InnerTextAsync(), Does.Contain("cannot reach the daemon").And.Not.Contain("{\"error\""));

        // A long log keeps its last 10,000 lines and says how many it did not keep; a line of 700,000 characters keeps its
        // end, after "…", within 500,000 (before: every line of a job's log was kept up to 500,000 characters, 12,000 here).
        var lines = new System.Text.StringBuilder();
        for (var i = 1; i <= 12000; i++)
        {
            lines.Append("prepare line ").Append(i).Append('\n');
        }

        var asked = new List<string>();
        await _page.RouteAsync(new System.Text.RegularExpressions.Regex("/api/workflows/pipeline/runs/1/logs\\?job=prepare"),
            route =>
            {
                asked.Add(route.Request.Url);
                return route.FulfillAsync(new()
                {
                    Status = 200,
                    ContentType = "text/plain; charset=utf-8",
                    Headers = new Dictionary<string, string> { ["X-Log-Tail-Cut"] = "true" }, // the daemon: the log has more before its tail
                    Body = lines.ToString(),
                });
            },
            new() { Times = 1 });
        await dag.Locator("g[data-job='prepare']").ClickAsync();
        await _page.Locator("#job-logs", new() { HasTextString = "prepare line 12000" }).WaitForAsync(new() { Timeout = WaitMs });
        var kept = await _page.Locator("#job-logs").TextContentAsync() ?? string.Empty;
        Assert.That(kept.Count(c => c == '\n'), Is.LessThanOrEqualTo(10001), "lines kept, the note included");
        Assert.That(kept, Does.Match(@"^\([0-9,]+ earlier lines not kept: this pane keeps the last 10,000 lines; gradient-node logs prints them all\)\n"));

        // The pane asks for the job's last 1,000 lines (before: its whole kept log, up to 8 MiB); having had that many, it
        // offers the whole log, which it asks for without a tail.
        var whole = _page.Locator("#job-logs-all");
        await whole.WaitForAsync(new() { Timeout = WaitMs });
        await _page.RouteAsync(new System.Text.RegularExpressions.Regex("/api/workflows/pipeline/runs/1/logs\\?job=prepare"),
            route =>
            {
                asked.Add(route.Request.Url);
                return route.FulfillAsync(new() { Status = 200, ContentType = "text/plain; charset=utf-8", Body = "prepare line 1 of the whole log\n" });
            },
            new() { Times = 1 });
        await whole.ClickAsync();
        await _page.Locator("#job-logs", new() { HasTextString = "prepare line 1 of the whole log" }).WaitForAsync(new() { Timeout = WaitMs });
        var hidden = await whole.IsHiddenAsync();
        Assert.Multiple(() =>
        {
            Assert.That(asked, Has.Count.EqualTo(2));
            Assert.That(asked[0], Does.Contain("tail=1000"), "the pane's first ask");
            Assert.That(asked[^1], Does.Not.Contain("tail="), "Load the whole log");
            Assert.That(hidden, Is.True, "no button once the whole log is asked for");
        });

        await _page.RouteAsync(new System.Text.RegularExpressions.Regex("/api/workflows/pipeline/runs/1/logs\\?job=prepare"),
            route => route.FulfillAsync(new() { Status = 200, ContentType = "text/plain; charset=utf-8", Body = new string('x', 700_000) + "y\nprepare-last-line\n" }), new() { Times = 1 });
        await dag.Locator("g[data-job='prepare']").ClickAsync();
        await _page.Locator("#job-logs", new() { HasTextString = "prepare-last-line" }).WaitForAsync(new() { Timeout = WaitMs });
        kept = await _page.Locator("#job-logs").TextContentAsync() ?? string.Empty;
        Assert.That(kept.Length, Is.LessThanOrEqualTo(500_000));
        Assert.That(kept, Does.StartWith("…xxx").And.EndWith("xy\nprepare-last-line\n"));

        // A log shown whole that grew past 1,000 lines while the page was open (the daemon says nothing was cut): no button.
        // Before, the pane counted 1,000 lines come and offered the whole log over the whole log.
        var grown = string.Concat(Enumerable.Range(1, 1100).Select(i => $"grown line {i}\n"));
        await _page.RouteAsync(new System.Text.RegularExpressions.Regex("/api/workflows/pipeline/runs/1/logs\\?job=prepare"),
            route => route.FulfillAsync(new() { Status = 200, ContentType = "text/plain; charset=utf-8", Body = grown }), new() { Times = 1 });
        await dag.Locator("g[data-job='prepare']").ClickAsync();
        await _page.Locator("#job-logs", new() { HasTextString = "grown line 1100" }).WaitForAsync(new() { Timeout = WaitMs });
        Assert.That(await whole.IsHiddenAsync(), Is.True, "the whole log is shown: nothing to load");

        await dag.Locator("g[data-job='train']").ClickAsync();
        await _page.Locator("#job-logs-name", new() { HasTextString = "train" }).WaitForAsync(new() { Timeout = WaitMs });
        await _page.Locator("#job-logs", new() { HasTextString = marker }).WaitForAsync(new() { Timeout = WaitMs });
        await Screenshot("console-workflow-run");
    }

    [Test]
    public async Task WorkflowRun_DatasetsInAndOut_ShowTheirVersionsAndTheDatasetPageNamesTheJobUsingOne()
    {
        var data = Directory.CreateDirectory(Path.Combine(_node.Root, "cin-files")).FullName;
        await File.WriteAllTextAsync(Path.Combine(data, "a.txt"), "A");
        Assert.That((await _node.CliAsync("datasets", "create", "cin")).ExitCode, Is.Zero);
        Assert.That((await _node.CliAsync("datasets", "create", "cout")).ExitCode, Is.Zero);
        var cin = (await _node.CliAsync("datasets", "upload", "cin", data)).Stdout.Split(' ')[0];
        var file = Path.Combine(_node.Root, "dspipe.yaml");
        await File.WriteAllTextAsync(file, """
            inputs:
              data:
                type: dataset
                with:
                  ref: cin
            jobs:
              copy:
                inputs:
                  data: workflow.inputs.data
                outputs:
                  copied:
                    type: dataset
                    with:
                      ref: cout
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, "cp /inputs/data/a.txt /outputs/copied/"]
              hold:
                needs: [copy]
                inputs:
                  copied: copy.outputs.copied
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, "sleep 600"]
            """);
        var run = await _node.CliAsync("workflows", "run", "-f", file);
        Assert.That(run.Stdout, Does.Contain("workflow 'dspipe' run 1 started"), run.ToString());

        await _page.GotoAsync(_console.Url + "#/w/dspipe/1");
        var held = _page.Locator("#jobs tr[data-job='hold'] td.inputs li[data-name='copied']");
        await held.WaitForAsync(new() { Timeout = WaitMs });
        Assert.That(await _page.Locator("#jobs tr[data-job='copy'] td.inputs li[data-name='data']").InnerTextAsync(), Is.EqualTo($"data: {cin} (committed)"));
        var output = await _page.Locator("#jobs tr[data-job='copy'] td.outputs li[data-name='copied']").InnerTextAsync();
        Assert.That(output, Does.Match(@"^copied: cout:\w+ \(committed\)$"));
        var cout = output.Split(' ')[1];
        Assert.That(await held.InnerTextAsync(), Does.StartWith($"copied: {cout}"));
        Assert.That(await _page.Locator("#run-values").InnerTextAsync(), Does.Contain($"data: {cin}"));
        Assert.That(await _page.Locator("#jobs").InnerTextAsync(), Does.Not.Contain("{"), "values are words, not JSON");
        Assert.That(await _page.Locator("#run-commands").TextContentAsync(), Is.EqualTo("To stop it: gradient-node workflows cancel dspipe 1"), "a running run's page names the CLI's cancel");
        await Screenshot("console-workflow-run-datasets");

        // A job's output dataset links to the dataset's page, whose users link back to the run (before: text only).
        await _page.Locator("#jobs tr[data-job='copy'] td.outputs a[href='#/ds/cout']").ClickAsync();
        var users = _page.Locator($"#versions tr[data-version='{cout.Split(':')[1]}'] td.users", new() { HasTextString = "workflow 'dspipe' run 1 job 'hold' (running)" });
        await users.WaitForAsync(new() { Timeout = WaitMs });
        await Screenshot("console-dataset");
        // Two days on, the version's time carries its date (before: the time of day alone, as if it were today's).
        await _page.Clock.SetFixedTimeAsync(DateTime.Now.AddDays(2));
        await _page.Locator($"#versions tr[data-version='{cout.Split(':')[1]}'] td.created time", new() { HasTextRegex = new Regex(@"\d{4}") }).WaitForAsync();
        await users.Locator("a[href='#/w/dspipe/1']").ClickAsync();
        await _page.Locator("#jobs tr[data-job='hold']").WaitForAsync();
        Assert.That((await _node.CliAsync("workflows", "cancel", "dspipe", "1")).ExitCode, Is.Zero);
    }
}
