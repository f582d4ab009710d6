using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// A console on a loopback port is open to every local user, and it acts with socket-group powers (logs, spec text,
/// restart, scale, disable). A local user who may not use the socket is refused before HTTP is read: for
/// <c>gradient-node console</c> everyone but root and the user who started it, for the daemon-served console everyone
/// who may not open the API socket. The published binary, the other user being <c>nobody</c> through setpriv.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class ConsolePeerEndToEndTests
{
    [Test]
    public async Task Console_LocalUserOtherThanTheOneWhoStartedIt_RefusedBeforeHttpWhileRootIsServed()
    {
        var setpriv = RequireRootAndSetpriv();
        await using var node = GradientNodeProcess.Prepare();
        await using var console = await ConsoleProcess.StartAsync(node);

        var (page, api) = await AsNobodyAsync(setpriv, console.Url);
        using var http = new HttpClient();
        using var rootPage = await http.GetAsync(console.Url);

        Assert.Multiple(() =>
        {
            // Before: nobody got the page (200) and its API calls were forwarded to the daemon's socket.
            Assert.That(page, Does.StartWith("403 ").And.Contain("permission denied: uid 65534 is neither root nor the user who started this console"));
            Assert.That(api, Does.StartWith("403 "));
            Assert.That((int)rootPage.StatusCode, Is.EqualTo(200), "root, who started it");
        });
    }

    [Test]
    public async Task DaemonConsole_LocalUserOutsideTheSocketGroup_RefusedBeforeHttpWhileRootIsServed()
    {
        var setpriv = RequireRootAndSetpriv();
        using var engine = await TestEnvironment.RequireEngineAsync();
        await using var node = GradientNodeProcess.Prepare();
        var port = GradientNodeProcess.FreePort();
        Directory.CreateDirectory(node.Root);
        var config = Path.Combine(node.Root, "node.yaml");
        await File.WriteAllTextAsync(config, $"console: {{listen: 127.0.0.1:{port}}}\n");
        await node.StartAsync(["--config", config, "--socket-group", "gn-no-such-group"]);
        var url = $"http://127.0.0.1:{port}/";
        using var http = new HttpClient();
        await TestTimeouts.WaitUntilAsync(
            async () =>
            {
                try
                {
                    using var response = await http.GetAsync(url);
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            TestTimeouts.Short,
            "the daemon's console answers root");

        var (page, api) = await AsNobodyAsync(setpriv, url);
        var rootNode = await http.GetStringAsync(url + "api/node");

        Assert.Multiple(() =>
        {
            // Before: nobody got the page and /api/node (200), and could restart, scale or disable any deployment.
            Assert.That(page, Does.StartWith("403 ").And.Contain("permission denied: uid 65534 is neither root nor a member of group 'gn-no-such-group'"));
            Assert.That(api, Does.StartWith("403 "));
            Assert.That(rootNode, Does.Contain("specsDir"), "root is served");
        });
    }

    private static string RequireRootAndSetpriv()
    {
        var setpriv = ShellTool.Require("setpriv", "util-linux");
        ShellTool.Require("curl", "curl");
        if (GradientNode.Daemon.Security.Libc.GetEffectiveUserId() != 0)
        {
            Assert.Ignore("needs root to run the client as another user");
        }

        return setpriv;
    }

    /// <summary>The page's and <c>/api/node</c>'s answers to <c>nobody</c>: <c>STATUS BODY</c>.</summary>
    private static async Task<(string Page, string Api)> AsNobodyAsync(string setpriv, string url)
    {
        async Task<string> GetAsync(string target)
        {
            var (code, output) = await ShellTool.RunAsync(
                setpriv,
                ["--reuid=65534", "--regid=65534", "--clear-groups", "curl", "-s", "-S", "-w", "\n%{http_code}", target],
                new Dictionary<string, string> { ["HOME"] = "/tmp" });
            Assert.That(code, Is.Zero, output);
            var lines = output.TrimEnd().Split('\n');
            return $"{lines[^1]} {string.Join('\n', lines[..^1])}";
        }

        return (await GetAsync(url), await GetAsync(url + "api/node"));
    }
}
