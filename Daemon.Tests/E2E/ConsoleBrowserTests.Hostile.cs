using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using Microsoft.Playwright;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// Stored markup (adversary6): every string a spec author or a container controls that the console shows (deployment
/// name, env value in the spec file, an error that quotes a spec value, log lines, a dataset's description, a workflow job's log,
/// the deployments list's MESSAGE: the engine's answer quoting the spec's command, and a readiness probe's output within the
/// cell's first 100 columns) reaches the page as text, never as an element, in both browsers. The MESSAGE cell is the text
/// <c>ls</c> shows (cut at 100 columns), the whole in its title. NUL, SGR, OSC and BEL in a log line stay characters of the
/// log's text, and the rest of the line shows.
/// </summary>
internal sealed partial class ConsoleBrowserTests
{
    private const string MarkupName = "<b data-xss=name>N</b><img src=x data-xss=img>";

    [Test]
    public async Task Page_MarkupInEveryStringASpecOrContainerControls_ShownAsTextNeverAsElements()
    {
        await _node.WriteSpecAsync("xss.yaml", SpecYaml.V1($"'{MarkupName}'", replicas: 1,
            top: "command: [\"/bin/sh\", \"-c\", \"echo '<b data-xss=log>L</b>'; printf 'nul\\\\000esc\\\\033[31mred\\\\033]0;title\\\\007end\\\\n'; exit 7\"]",
            extra: "env:\n  - name: A\n    value: '<b data-xss=env>E</b>'"));
        await _node.WriteSpecAsync("xssmsg.yaml", SpecYaml.V1("xssmsg", replicas: 1, top: "command: [\"/no/<b data-xss=msg>M</b>\"]"));
        // A readiness probe's output is in the message within its first 100 columns, so the cell's visible text quotes the markup too.
        await _node.WriteSpecAsync("xssprobe.yaml", SpecYaml.V1("xssprobe", replicas: 1,
            extra: "healthChecks:\n  readiness:\n    exec:\n      command: [\"/bin/sh\", \"-c\", \"echo '<b data-xss=probe>P</b>'; exit 1\"]\n    periodSeconds: 1"));
        await _node.WriteSpecAsync("xssbad.yaml", "apiVersion: v1\nname: xssbad\nimage: gradient-test/web:1\n'<b data-xss=err>C4': 1\nresources:\n  machineType: C4\n  ports: [8080]\n");
        Assert.That((await _node.CliAsync("datasets", "create", "xssds", "--description", "<b data-xss=ds>D</b>")).ExitCode, Is.Zero);
        var workflow = Path.Combine(_node.Root, "xsswf.yaml");
        await File.WriteAllTextAsync(workflow, """
            jobs:
              say:
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, "echo '<b data-xss=joblog>J</b>'; exit 3"]
            """);
        await _node.WaitForStatusAsync(MarkupName, s => s.Replicas.Any(r => r.LastExitCode == 7), "a restart after exit 7");
        await _node.WaitForStatusAsync("xssbad", s => s.State == DeploymentState.Invalid, "Invalid");
        await _node.WaitForStatusAsync("xssmsg", s => s.Message.Contains("<b data-xss=msg>M</b>", StringComparison.Ordinal), "a message quoting the command");
        await _node.WaitForStatusAsync("xssprobe", s => s.Message.Contains("exited with 1: <b data-xss=probe>P</b>", StringComparison.Ordinal), "a message quoting the probe's output");
        await _node.CliAsync("workflows", "run", "-f", workflow, "--wait");

        await _page.GotoAsync(_console.Url);
        await _page.Locator("#deployments", new() { HasTextString = MarkupName }).WaitForAsync(new() { Timeout = WaitMs });
        var message = _page.Locator("#deployments tr[data-slug='xssmsg'] td.message");
        await message.Locator("xpath=self::*[contains(@title, '<b data-xss=msg>M</b>')]").WaitForAsync(new() { Timeout = WaitMs });
        await AssertNoMarkupElements("the deployments list");

        // Each new attempt names a new container, so the page and ls are compared until both show the same attempt.
        string messageText = string.Empty, lsLine = string.Empty;
        await TestTimeouts.WaitUntilAsync(
            async () =>
            {
                messageText = await message.InnerTextAsync();
                lsLine = (await _node.CliAsync("ls")).Stdout.Split('\n').Single(l => l.StartsWith("xssmsg ", StringComparison.Ordinal));
                return lsLine.EndsWith("  " + messageText, StringComparison.Ordinal);
            },
            TestTimeouts.Rollout,
            () => $"the console's MESSAGE '{messageText}' to be the one ls shows: '{lsLine}'");
        Assert.That(messageText, Does.StartWith("replica 0 could not be started: ").And.EndWith("…"), "cut as ls cuts it");

        // Markup in the visible text of the cell (not only past column 100, in its title), as text.
        var probeMessage = _page.Locator("#deployments tr[data-slug='xssprobe'] td.message");
        await TestTimeouts.WaitUntilAsync(
            async () => (await probeMessage.InnerTextAsync()).Contains("<b data-xss=probe>P</b>", StringComparison.Ordinal),
            TestTimeouts.Rollout,
            "the probe's markup in the MESSAGE cell's visible text");
        await AssertNoMarkupElements("the deployments list's MESSAGE cell");

        await _page.GotoAsync(_console.Url + "#/d/" + Uri.EscapeDataString(MarkupName));
        await _page.Locator("#replicas .exit-code", new() { HasTextString = "7" }).First.WaitForAsync(new() { Timeout = WaitMs });
        await _page.Locator("#logs", new() { HasTextString = "<b data-xss=log>L</b>" }).WaitForAsync(new() { Timeout = WaitMs });
        // NUL, SGR, OSC and BEL in a log line are characters of the log's text node: the line and what follows it show.
        await _page.Locator("#logs", new() { HasTextString = "end" }).WaitForAsync(new() { Timeout = WaitMs });
        var log = await _page.Locator("#logs").TextContentAsync() ?? string.Empty;
        Assert.That(log, Does.Contain("esc\u001b[31mred\u001b]0;title\u0007end").And.Contain("nul"), "the log line as text");
        await _page.Locator("#spec code", new() { HasTextString = "<b data-xss=env>E</b>" }).WaitForAsync(new() { Timeout = WaitMs, State = WaitForSelectorState.Attached });
        await AssertNoMarkupElements("the deployment's page");

        await _page.GotoAsync(_console.Url + "#/d/xssbad");
        await _page.Locator("#spec .spec-error", new() { HasTextString = "<b data-xss=err>C4" }).WaitForAsync(new() { Timeout = WaitMs });
        await AssertNoMarkupElements("an invalid spec's errors");

        await _page.GotoAsync(_console.Url + "#/datasets");
        await _page.Locator("#datasets", new() { HasTextString = "<b data-xss=ds>D</b>" }).WaitForAsync(new() { Timeout = WaitMs });
        await AssertNoMarkupElements("the datasets list");

        await _page.GotoAsync(_console.Url + "#/w/xsswf/1");
        await _page.Locator("#dag g[data-job='say']").ClickAsync();
        await _page.Locator("#job-logs", new() { HasTextString = "<b data-xss=joblog>J</b>" }).WaitForAsync(new() { Timeout = WaitMs });
        await AssertNoMarkupElements("a workflow job's log");
    }

    private async Task AssertNoMarkupElements(string where)
    {
        Assert.That(await _page.Locator("[data-xss], img[src='x']").CountAsync(), Is.Zero, $"markup became elements in {where}");
    }
}
