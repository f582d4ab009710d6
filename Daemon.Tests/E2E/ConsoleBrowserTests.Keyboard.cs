using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// Issue 19's "keyboard-navigable, readable on a laptop screen": every page reached and used with Tab, Shift+Tab, Enter
/// and Space only, each checked at 1366x768 for a page that needs no horizontal scrolling and no text under 12 px, at a
/// phone's 390 px for no horizontal scrolling either, and for a title that names the page and a name on every control.
/// </summary>
internal sealed partial class ConsoleBrowserTests
{
    private const int MaxTabs = 80;

    /// <summary>Horizontal overflow of the page in px, and the smallest computed font size of any rendered text.</summary>
    private const string ReadabilityScript = """
        () => {
          const doc = document.documentElement;
          let size = Infinity, text = "";
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const el = n.parentElement;
            if (!n.textContent.trim() || !el || el.getClientRects().length === 0) continue;
            const px = parseFloat(getComputedStyle(el).fontSize);
            if (px < size) { size = px; text = n.textContent.trim().slice(0, 40); }
          }
          // A control a screen reader would announce without a name (no text, aria-label or label).
          const unnamed = [...document.querySelectorAll("button, a[href], [role=button], input, select, pre[tabindex]")]
            .filter(e => !(e.getAttribute("aria-label") || e.textContent.trim() || e.labels?.length))
            .map(e => e.outerHTML.slice(0, 80));
          // A table shown other than as a table (display:block, which some screen readers read as text), or outside a
          // named region keyboard users can focus to scroll it sideways.
          const tables = [...document.querySelectorAll("table")].filter(t => t.getClientRects().length > 0)
            .filter(t => getComputedStyle(t).display !== "table" || !t.parentElement.matches(".table-scroll[role=region][aria-label][tabindex='0']")
              || !["auto", "scroll"].includes(getComputedStyle(t.parentElement).overflowX))
            .map(t => `${t.id || "table"}: ${getComputedStyle(t).display} in ${t.parentElement.outerHTML.slice(0, 80)}`);
          return [String(doc.scrollWidth - doc.clientWidth), String(size), text, unnamed.join(" | "), document.title, doc.lang, tables.join(" | ")];
        }
        """;

    [Test]
    public async Task Pages_KeyboardOnly_ReachEveryPageAndControlAndFitALaptopScreen()
    {
        var marker = $"second-says-{Guid.NewGuid():N}";
        await _node.WriteSpecAsync("kbd.yaml", SpecYaml.V1("kbd", replicas: 1));
        var data = Directory.CreateDirectory(Path.Combine(_node.Root, "kbdata-files")).FullName;
        await File.WriteAllTextAsync(Path.Combine(data, "a.txt"), "A");
        Assert.That((await _node.CliAsync("datasets", "create", "kbdata")).ExitCode, Is.Zero);
        Assert.That((await _node.CliAsync("datasets", "upload", "kbdata", data)).ExitCode, Is.Zero);
        var flow = Path.Combine(_node.Root, "kbflow.yaml");
        await File.WriteAllTextAsync(flow, $$"""
            jobs:
              first:
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, "echo first"]
              second:
                needs: [first]
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, "echo {{marker}}"]
            """);
        var run = await _node.CliAsync("workflows", "run", "-f", flow, "--wait");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        await _node.WaitForStatusAsync("kbd", s => s.State == DeploymentState.Ready, "Ready");

        // Node page; the skip link moves focus to the content and leaves the page (the hash route) as it is.
        await _page.GotoAsync(_console.Url + "#/node");
        await _page.Locator("#engine").WaitForAsync();
        await AssertReadableAsync("node", "Node");
        await TabToAsync("a.skip", backwards: true);
        await _page.Keyboard.PressAsync("Enter");
        Assert.That(await _page.EvaluateAsync<string>("() => document.activeElement.id + ' ' + location.hash"), Is.EqualTo("main #/node"));

        // Deployments: the filter, then the row's link; focus survives the table's 2-second redraw.
        await OpenFromNavAsync("#/", "#deployments tr[data-slug='kbd'] [data-state='Ready']");
        await AssertReadableAsync("deployments", "Deployments");
        await TabToAsync("#filter");
        await _page.Keyboard.TypeAsync("kbd");
        await TabToAsync("#deployments a[href='#/d/kbd']");
        await AssertFocusSurvivesRedrawAsync("#deployments tbody", "#deployments a[href='#/d/kbd']");
        await _page.Keyboard.PressAsync("Enter");
        await _page.Locator("#state [data-state='Ready']").WaitForAsync();
        await AssertReadableAsync("deployment", "Deployment kbd");
        await AssertLiveRegionsQuietAcrossARedrawAsync("#summary");

        // One deployment: scale with the number field and the button (the confirmation is accepted), follow off with Space.
        await TabToAsync("#scale-replicas");
        await _page.Keyboard.PressAsync("Control+A");
        await _page.Keyboard.TypeAsync("2");
        await TabToAsync("#scale");
        await _page.Keyboard.PressAsync("Enter");
        await _page.Locator("#action-result", new() { HasTextString = "scaled to 2" }).WaitForAsync();
        await _page.Locator("#ready", new() { HasTextString = "2/2" }).WaitForAsync();
        await TabToAsync("#log-follow");
        await _page.Keyboard.PressAsync("Space");
        Assert.That(await _page.Locator("#log-follow").IsCheckedAsync(), Is.False);

        // Workflows → runs → one run: a DAG box is focused, survives the DAG's redraw, and Enter shows its log.
        await OpenFromNavAsync("#/workflows", "#workflows a[href='#/w/kbflow']");
        await AssertReadableAsync("workflows", "Workflows");
        await TabToAsync("#workflows a[href='#/w/kbflow']");
        await _page.Keyboard.PressAsync("Enter");
        await _page.Locator("#workflows a[href='#/w/kbflow/1']").WaitForAsync();
        await AssertReadableAsync("workflow runs", "Runs of kbflow");
        await Screenshot("console-workflow-runs");
        await TabToAsync("#workflows a[href='#/w/kbflow/1']");
        await _page.Keyboard.PressAsync("Enter");
        await _page.Locator("#dag g[data-job='second'][data-phase='SUCCEEDED']").WaitForAsync();
        await AssertReadableAsync("workflow run", "kbflow run 1");
        await TabToAsync("#dag g[data-job='second']");
        await AssertFocusSurvivesRedrawAsync("#dag", "#dag g[data-job='second']");
        await _page.Keyboard.PressAsync("Enter");
        await _page.Locator("#job-logs-name", new() { HasTextString = "second" }).WaitForAsync();
        await _page.Locator("#job-logs", new() { HasTextString = marker }).WaitForAsync();

        // Datasets → one dataset.
        await OpenFromNavAsync("#/datasets", "#datasets a[href='#/ds/kbdata']");
        await AssertReadableAsync("datasets", "Datasets");
        await TabToAsync("#datasets a[href='#/ds/kbdata']");
        await _page.Keyboard.PressAsync("Enter");
        await _page.Locator("#versions tbody tr").First.WaitForAsync();
        await AssertReadableAsync("dataset", "Dataset kbdata");
    }

    /// <summary>From the page's content, Shift+Tab back to the nav link <paramref name="href"/>, Enter, and wait for <paramref name="shown"/>.</summary>
    private async Task OpenFromNavAsync(string href, string shown)
    {
        await TabToAsync($"nav a[href='{href}']", backwards: true);
        await _page.Keyboard.PressAsync("Enter");
        await _page.Locator(shown).First.WaitForAsync();
    }

    /// <summary>Presses Tab (or Shift+Tab) until the focused element matches <paramref name="selector"/>; fails naming the stops.</summary>
    private async Task TabToAsync(string selector, bool backwards = false)
    {
        var stops = new List<string>();
        for (var i = 0; i < MaxTabs; i++)
        {
            await _page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
            if (await _page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) ?? false", selector))
            {
                return;
            }

            stops.Add(await _page.EvaluateAsync<string>("() => { const a = document.activeElement; return a ? a.tagName + (a.id ? '#' + a.id : '') + (a.getAttribute('href') ? '[' + a.getAttribute('href') + ']' : '') : 'none'; }"));
        }

        Assert.Fail($"{selector} not reached with {(backwards ? "Shift+Tab" : "Tab")} in {MaxTabs} presses; focus went {string.Join(" → ", stops.Distinct())}");
    }

    /// <summary>
    /// A live region (aria-live, role=status) is read out by a screen reader at each change of its nodes: one whose nodes
    /// were replaced while its text stayed the same would be read out again at every poll. Watches them across one redraw
    /// of <paramref name="container"/> and fails naming any such region.
    /// </summary>
    private async Task AssertLiveRegionsQuietAcrossARedrawAsync(string container)
    {
        await _page.EvaluateAsync("""
            c => {
              window.gnLiveNoise = [];
              window.gnBefore = document.querySelector(c).firstElementChild;
              for (const el of document.querySelectorAll("[aria-live], [role=status]")) {
                let text = el.textContent;
                new MutationObserver(() => {
                  if (el.textContent === text) window.gnLiveNoise.push(el.id || el.tagName); else text = el.textContent;
                }).observe(el, { childList: true, subtree: true, characterData: true });
              }
            }
            """, container);
        await _page.WaitForFunctionAsync("c => document.querySelector(c)?.firstElementChild !== window.gnBefore", container);
        Assert.That(await _page.EvaluateAsync<string[]>("() => [...new Set(window.gnLiveNoise)]"), Is.Empty, "live regions whose nodes were replaced with the same text");
    }

    /// <summary>Waits until the live page replaced <paramref name="container"/>'s children, then checks the focus is still on <paramref name="focused"/>.</summary>
    private async Task AssertFocusSurvivesRedrawAsync(string container, string focused)
    {
        await _page.EvaluateAsync("c => { window.gnBefore = document.querySelector(c).firstElementChild; }", container);
        await _page.WaitForFunctionAsync("c => document.querySelector(c)?.firstElementChild !== window.gnBefore", container);
        Assert.That(await _page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) ?? false", focused), Is.True, $"focus on {focused} after the redraw");
    }

    /// <summary>
    /// At 1366x768: no horizontal scrolling of the page, no rendered text under 12 CSS px; at 390x844 (a phone) no
    /// horizontal scrolling either (a table scrolls in its wrapper, a named focusable region, and stays display:table);
    /// the title names the page; every control has a name.
    /// </summary>
    private async Task AssertReadableAsync(string page, string title)
    {
        var result = await _page.EvaluateAsync<string[]>(ReadabilityScript);
        await _page.SetViewportSizeAsync(390, 844);
        var phone = await _page.EvaluateAsync<string[]>(ReadabilityScript);
        await _page.SetViewportSizeAsync(1366, 768);
        Assert.Multiple(() =>
        {
            Assert.That(int.Parse(result[0], System.Globalization.CultureInfo.InvariantCulture), Is.LessThanOrEqualTo(0), $"{page} page: horizontal overflow in px at 1366x768");
            Assert.That(double.Parse(result[1], System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(11.99), $"{page} page: smallest text (\"{result[2]}\") in px");
            Assert.That(int.Parse(phone[0], System.Globalization.CultureInfo.InvariantCulture), Is.LessThanOrEqualTo(0), $"{page} page: horizontal overflow in px at 390x844");
            Assert.That(result[3], Is.Empty, $"{page} page: controls without a name");
            Assert.That(result[4], Is.EqualTo($"{title} · Gradient Node console"), $"{page} page: title");
            Assert.That(result[5], Is.EqualTo("en"), $"{page} page: lang");
            Assert.That(phone[6], Is.Empty, $"{page} page: tables at 390x844 not display:table in a scrolling, named, focusable region");
        });
    }
}
