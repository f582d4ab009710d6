using System.Net;
using GradientNode.Core.Engine;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using Microsoft.Playwright;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// <c>gradient-node console</c> of the published binary (pages of one deployment and one workflow run: the .Pages.cs
/// part; keyboard paths and laptop-screen readability: the .Keyboard.cs part), driven through Playwright by Debian's
/// Chromium (/usr/bin/chromium, CDP) and Debian's Firefox ESR (/usr/bin/firefox-esr, WebDriver BiDi), never a
/// downloaded browser, against a real node and engine. Every test runs in both browsers. Screenshots go to the test
/// output dir (<c>console-*.png</c>; Firefox's end in <c>-firefox.png</c>).
/// </summary>
[TestFixture(TestBrowsers.Chromium)]
[TestFixture(TestBrowsers.Firefox)]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed partial class ConsoleBrowserTests(string browserName)
{
    private const string SecretValue = "console-secret-5f1d9c2a";
    private const string AuthValue = "console-basic-auth-77e0b1";
    /// <summary>
    /// CSP hash of <c>body {}</c>: before each screenshot in Firefox, Playwright adds and removes a
    /// <c>&lt;style&gt;body {}&lt;/style&gt;</c> (to sync animations); the console's CSP (<c>style-src 'self'</c>) refuses it,
    /// and Firefox reports the refusal as a page error. That one refusal is the test driver's, not the page's.
    /// </summary>
    private const string PlaywrightScreenshotStyleHash = "sha256-YjaKGiklmzC6wjXA513HAMmzus8VE61XCOT+SmwNZWA=";
    private static readonly float WaitMs = (float)TestTimeouts.Rollout.TotalMilliseconds;

    private DockerEngine _engine = null!;
    private GradientNodeProcess _node = null!;
    private ConsoleProcess _console = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private IBrowserContext _context = null!;
    private IPage _page = null!;
    private readonly List<string> _pageErrors = [];

    /// <summary>One browser per fixture: Firefox's start alone takes tens of seconds here; each test gets a fresh context.</summary>
    [OneTimeSetUp]
    public async Task StartBrowser()
    {
        TestBrowsers.Require(browserName);
        _playwright = await Playwright.CreateAsync();
        _browser = await TestBrowsers.LaunchAsync(_playwright, browserName);
    }

    [OneTimeTearDown]
    public async Task StopBrowser()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    [SetUp]
    public async Task SetUp()
    {
        _pageErrors.Clear();
        _engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        _console = await ConsoleProcess.StartAsync(_node);

        // 1366x768: the smallest common laptop screen ("readable on a laptop screen", see the .Keyboard.cs part).
        _context = await _browser.NewContextAsync(new() { ViewportSize = new() { Width = 1366, Height = 768 } });
        _context.SetDefaultTimeout(WaitMs);
        _page = await _context.NewPageAsync();
        _page.Dialog += (_, dialog) => dialog.AcceptAsync();
        _page.PageError += (_, error) =>
        {
            if (error.Contains(PlaywrightScreenshotStyleHash, StringComparison.Ordinal))
            {
                return;
            }

            lock (_pageErrors)
            {
                _pageErrors.Add(error);
            }
        };
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_page is not null && TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            await Screenshot("console-failure-" + TestContext.CurrentContext.Test.MethodName);
            TestContext.Out.WriteLine($"page errors: {string.Join(" | ", _pageErrors)}");
        }

        List<string> pageErrors;
        lock (_pageErrors)
        {
            pageErrors = [.. _pageErrors];
        }

        if (_context is not null)
        {
            await _context.DisposeAsync();
        }

        if (_console is not null)
        {
            await _console.DisposeAsync();
        }

        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        _smi?.Dispose();
        _smi = null;
        _engine?.Dispose();
        Assert.That(pageErrors, Is.Empty, "JavaScript errors on the page");
    }

    [Test]
    public async Task Deployments_NewDeployment_GoesProgressingThenReadyWithoutReload()
    {
        await _page.GotoAsync(_console.Url);
        await _node.WriteSpecAsync("slow.yaml", SpecYaml.V1("slow", replicas: 1, top: "command: [\"/bin/sh\", \"-c\", \"sleep 6; exec /bin/serve\"]"));

        var row = _page.Locator("#deployments tr[data-slug='slow']");
        await row.Locator("[data-state='Progressing']").WaitForAsync(new() { Timeout = WaitMs });
        await Screenshot("console-deployments-progressing");
        await row.Locator("[data-state='Ready']").WaitForAsync(new() { Timeout = WaitMs });
        Assert.That(await row.Locator(".ready").InnerTextAsync(), Is.EqualTo("1/1"));
        await Screenshot("console-deployments");

        await _page.FillAsync("#filter", "no-such-name");
        await _page.Locator("#deployments tr[data-slug='slow']").WaitForAsync(new() { State = WaitForSelectorState.Detached });
    }

    [Test]
    public async Task Deployment_CrashLooping_ShowsExitCodeAndRestarts()
    {
        await _node.WriteSpecAsync("crash.yaml", SpecYaml.V1("crash", replicas: 1, top: "command: [\"/bin/sh\", \"-c\", \"echo boom; exit 7\"]"));
        await _node.WaitForStatusAsync("crash", s => s.Replicas.Any(r => r.Restarts >= 1 && r.LastExitCode == 7), "a restart after exit 7");

        await _page.GotoAsync(_console.Url + "#/d/crash");
        var replica = _page.Locator("#replicas tr[data-replica='0']").First;
        await replica.Locator(".exit-code", new() { HasTextString = "7" }).WaitForAsync(new() { Timeout = WaitMs });
        Assert.That(int.Parse(await replica.Locator(".restarts").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(1));
        await Screenshot("console-deployment-crash");
    }

    [Test]
    public async Task Deployment_LogsFollowAndScaleAction_Work()
    {
        await _node.WriteSpecAsync("web.yaml", SpecYaml.V1("web", replicas: 1));
        await _node.WaitForStatusAsync("web", s => s.State == DeploymentState.Ready, "Ready");

        // The first log stream ends at once though the daemon answers (as when it restarts within one 2 s poll, so the page
        // never goes stale): the pane follows again by itself (before, it said the stream ended and stayed so).
        await _page.RouteAsync(new System.Text.RegularExpressions.Regex("/api/deployments/web/logs\\?"),
            route => route.FulfillAsync(new() { Status = 200, ContentType = "text/plain; charset=utf-8", Body = "an earlier line\n" }), new() { Times = 1 });
        await _page.GotoAsync(_console.Url + "#/d/web");
        await _page.Locator("#state [data-state='Ready']").WaitForAsync(new() { Timeout = WaitMs });

        // Follow: a line the container writes after the page opened its log stream shows up without reload.
        var container = (await _node.ContainersAsync(_engine, "web")).Single();
        var marker = $"console-follow-{Guid.NewGuid():N}";
        await _engine.ExecAsync(container.Id, ["/bin/sh", "-c", $"echo {marker} > /proc/1/fd/1"], TestTimeouts.Short, CancellationToken.None);
        await _page.Locator("#logs", new() { HasTextString = marker }).WaitForAsync(new() { Timeout = WaitMs });

        // Traffic through the proxy shows up as the last minute's p50/p99 without reload.
        await _node.WaitForRouteAsync("web");
        using (var http = new HttpClient())
        {
            for (var i = 0; i < 5; i++)
            {
                using var response = await http.SendAsync(_node.ProxyRequest("web", "/"));
            }
        }

        await _page.Locator("#traffic", new() { HasTextRegex = new System.Text.RegularExpressions.Regex(@"p50 [0-9.]+ ms, p99 [0-9.]+ ms") }).WaitForAsync(new() { Timeout = WaitMs });

        // As a person does: select the field's text and type. (Playwright's FillAsync on a number field appends in
        // Firefox over BiDi: "1" became "12".)
        await _page.ClickAsync("#scale-replicas");
        await _page.Keyboard.PressAsync("Control+A");
        await _page.Keyboard.TypeAsync("2");
        await _page.ClickAsync("#scale");
        await _page.Locator("#action-result", new() { HasTextString = "scaled to 2" }).WaitForAsync(new() { Timeout = WaitMs });
        await _page.Locator("#ready", new() { HasTextString = "2/2" }).WaitForAsync(new() { Timeout = WaitMs });
        Assert.That(await File.ReadAllTextAsync(Path.Combine(_node.SpecsDir, "web.yaml")), Does.Contain("replicas: 2"));
        await _page.Locator("#charts figure svg[aria-label^='Replicas ready']").WaitForAsync(new() { Timeout = WaitMs });
        await Screenshot("console-deployment");

        await _page.GotoAsync(_console.Url + "#/node");
        await _page.Locator("#engine").WaitForAsync(new() { Timeout = WaitMs });
        Assert.That(await _page.Locator("#host").InnerTextAsync(), Does.Match($@"^{Environment.ProcessorCount} CPUs, [0-9.]+ (MiB|GiB)$"));
        await Screenshot("console-node");
        await _page.GotoAsync(_console.Url + "#/datasets");
        await _page.Locator("#datasets > *").First.WaitForAsync(new() { Timeout = WaitMs });
        await Screenshot("console-datasets");
        await _page.GotoAsync(_console.Url + "#/workflows");
        await _page.Locator("#workflows > *").First.WaitForAsync(new() { Timeout = WaitMs });
        await Screenshot("console-workflows");
    }

    [Test]
    public async Task Page_SecretInEnvAndBasicAuthKey_NeverReachesThePage()
    {
        Assert.That((await _node.CliWithInputAsync(SecretValue + "\n", "secrets", "set", "api_token")).ExitCode, Is.Zero);
        Assert.That((await _node.CliWithInputAsync(AuthValue + "\n", "secrets", "set", "endpoint_key")).ExitCode, Is.Zero);
        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("locked", replicas: 1, top: "basicAuthKey: secret:endpoint_key", extra: "env:\n  - name: TOKEN\n    value: secret:api_token"));
        await _node.WaitForStatusAsync("locked", s => s.State == DeploymentState.Ready, "Ready");

        var seen = new List<string>();
        _page.Response += async (_, response) =>
        {
            if (response.Url.Contains("/api/", StringComparison.Ordinal) && !response.Url.Contains("/logs", StringComparison.Ordinal))
            {
                try
                {
                    var text = await response.TextAsync();
                    lock (seen)
                    {
                        seen.Add(text);
                    }
                }
                catch (PlaywrightException)
                {
                    // The page navigated away before the body was read.
                }
            }
        };
        await _page.GotoAsync(_console.Url);
        await _page.Locator("#deployments tr[data-slug='locked'] [data-state='Ready']").WaitForAsync(new() { Timeout = WaitMs });
        seen.Add(await _page.ContentAsync());
        await _page.GotoAsync(_console.Url + "#/d/locked");
        await _page.Locator("#state [data-state='Ready']").WaitForAsync(new() { Timeout = WaitMs });
        seen.Add(await _page.ContentAsync());
        await _page.GotoAsync(_console.Url + "#/node");
        await _page.Locator("#engine").WaitForAsync(new() { Timeout = WaitMs });
        Assert.That(await _page.Locator("#host").InnerTextAsync(), Does.Match($@"^{Environment.ProcessorCount} CPUs, [0-9.]+ (MiB|GiB)$"));
        seen.Add(await _page.ContentAsync());

        // The bodies are read by the Response handler as they come: wait until the API's answers were really seen
        // (the status of 'locked', the node), so that the check below is not vacuous in either browser.
        bool Seen(string text)
        {
            lock (seen)
            {
                return seen.Any(t => t.Contains(text, StringComparison.Ordinal));
            }
        }

        await TestTimeouts.WaitUntilAsync(() => Seen("\"specHash\"") && Seen("\"engine\""), "the console's API answers read by the browser");
        lock (seen)
        {
            Assert.That(seen, Has.Some.Contains("locked"));
            Assert.That(seen, Has.None.Contains(SecretValue).And.None.Contains(AuthValue));
        }
    }

    [Test]
    public async Task Api_CallsOffTheWhitelistOrWithoutTheHeader_AreRefused()
    {
        using var http = new HttpClient();
        Assert.That((await http.GetAsync(_console.Url + "api/deployments")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await http.GetAsync(_console.Url + "api/secrets")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await http.GetAsync(_console.Url + "api/registries")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await http.GetAsync(_console.Url + "api/deployments/..%2Fsecrets")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        using var noHeader = await http.SendAsync(ConsoleProcess.Post(_console.Url + "api/deployments/web/restart", withHeader: false));
        Assert.That(noHeader.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        using var rebinding = new HttpRequestMessage(HttpMethod.Get, _console.Url + "api/deployments");
        rebinding.Headers.Host = "attacker.example";
        Assert.That((await http.SendAsync(rebinding)).StatusCode, Is.EqualTo(HttpStatusCode.MisdirectedRequest));
    }

    /// <summary>Saves a full-page screenshot as NAME.png (Chromium) or NAME-firefox.png and attaches it to the result.</summary>
    private async Task Screenshot(string name)
    {
        var suffix = browserName == TestBrowsers.Chromium ? "" : "-" + browserName;
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, name + suffix + ".png");
        await _page.ScreenshotAsync(new() { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path);
    }
}
