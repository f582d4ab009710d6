using Microsoft.Playwright;
using NUnit.Framework;

namespace GradientNode.Tests.Infrastructure;

/// <summary>
/// The browsers the console's tests drive through Playwright: Debian's packages only, never a downloaded browser.
/// Chromium speaks CDP; Debian's firefox-esr speaks WebDriver BiDi, which Playwright 1.64's driver reaches through
/// <c>firefox.launch</c> with a <c>moz-*</c> channel (its BiDi Firefox; the default channel wants Playwright's own
/// Juggler-patched build, which cannot be downloaded here). See docs/design/console.md, Browsers.
/// </summary>
internal static class TestBrowsers
{
    public const string Chromium = "chromium";
    public const string Firefox = "firefox";

    /// <summary>Debian's binary for <paramref name="browser"/>.</summary>
    public static string ExecutablePath(string browser) => browser switch
    {
        Chromium => "/usr/bin/chromium",
        Firefox => "/usr/bin/firefox-esr",
        _ => throw new ArgumentOutOfRangeException(nameof(browser), browser, "chromium or firefox"),
    };

    /// <summary>A missing browser is a failure under CI and an ignored test locally, like a missing engine.</summary>
    public static void Require(string browser)
    {
        var path = ExecutablePath(browser);
        if (File.Exists(path))
        {
            return;
        }

        var problem = $"{path} is missing: apt-get install {(browser == Firefox ? "firefox-esr" : "chromium")} (test.sh does)";
        if (TestEnvironment.IsCi)
        {
            Assert.Fail(problem);
        }

        Assert.Ignore(problem);
    }

    /// <summary>Launches <paramref name="browser"/> headless.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright, string browser)
    {
        ArgumentNullException.ThrowIfNull(playwright);
        var timeout = (float)TestTimeouts.BrowserLaunch.TotalMilliseconds;
        return browser == Firefox
            ? playwright.Firefox.LaunchAsync(new() { ExecutablePath = ExecutablePath(browser), Channel = "moz-firefox", Headless = true, Timeout = timeout })
            : playwright.Chromium.LaunchAsync(new() { ExecutablePath = ExecutablePath(browser), Headless = true, Args = ["--no-sandbox"], Timeout = timeout });
    }
}
