using System.Diagnostics;
using System.Security.Cryptography;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// The published daemon's API socket under a connection flood from a real member of its socket group (a throwaway
/// user; a perl child run through setpriv holds the connections): members past <c>--api-max-connections</c> get 503,
/// root is still served, the daemon's file handles stay bounded, and members are served again once the flood closes.
/// </summary>
[TestFixture]
[Category("E2E")]
[NonParallelizable]
public sealed class ApiSocketLimitsEndToEndTests
{
    private const string Flooder = """
        use IO::Socket::UNIX; use Socket;
        my ($path, $n) = @ARGV; my @held;
        for (1 .. $n) { my $c = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $path) or last; push @held, $c; }
        $| = 1; print scalar(@held), "\n"; <STDIN>;
        """;

    private readonly List<GradientNodeProcess> _processes = [];
    private readonly List<string> _cleanup = [];

    [TearDown]
    public async Task TearDown()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        _processes.Clear();
        foreach (var command in _cleanup)
        {
            await ShellTool.RunAsync("/bin/sh", ["-c", command]);
        }

        _cleanup.Clear();
    }

    [Test]
    public async Task ApiSocket_MemberOpensFloodPastTheCap_MembersGet503RootIsServedHandlesStayBoundedAndMembersServedAfter()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        var setpriv = ShellTool.Require("setpriv", "util-linux");
        var curl = ShellTool.Require("curl", "curl");
        var perl = ShellTool.Require("perl", "perl-base");
        TestEnvironment.RequireRoot("needs root to create a throwaway member of the socket group");

        var (group, member, _) = await ThrowawayUsers.CreateAsync(_cleanup);

        const int cap = 8;
        const int flood = 400;
        var daemon = GradientNodeProcess.Prepare().Sibling("daemon");
        _processes.Add(daemon);
        await daemon.StartAsync(extraArgs: ["--socket-group", group, "--api-max-connections", $"{cap}"]);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(File.GetUnixFileMode(daemon.Socket).HasFlag(UnixFileMode.GroupWrite)), TestTimeouts.Short, "the socket's mode to be set");
        foreach (var dir in new[] { daemon.Root, daemon.RunDir })
        {
            File.SetUnixFileMode(dir, File.GetUnixFileMode(dir) | UnixFileMode.OtherExecute); // the member reaches the socket by its group
        }

        var pid = daemon.Pid ?? throw new AssertionException("the daemon is not running");
        async Task<(int Code, string Output)> CurlAsMember() =>
            await ShellTool.RunAsync(setpriv, [$"--reuid={member}", $"--regid={member}", "--init-groups", curl, "-sS", "-w", "\n%{http_code}", "--unix-socket", daemon.Socket, "http://gradient-node/v1/health"]);

        Assert.That((await CurlAsMember()).Output, Does.EndWith("\n200"), "a member is served before the flood");
        var baseline = OpenFiles(pid);

        using var flooder = StartFlooder(setpriv, member, perl, daemon.Socket, flood);
        _cleanup.Insert(0, $"kill {flooder.Id} 2>/dev/null");
        var opened = await flooder.StandardOutput.ReadLineAsync().WaitAsync(TestTimeouts.Container);
        Assert.That(opened, Is.EqualTo($"{flood}"), $"the flooder's connect calls all succeed (the kernel's backlog and the accept loop take them): {await ReadErrorAsync(flooder)}");

        (int Code, string Output) refused = default;
        await TestTimeouts.WaitUntilAsync(
            async () => (refused = await CurlAsMember()).Output.EndsWith("\n503", StringComparison.Ordinal),
            TestTimeouts.Container,
            "a member's request to be refused with 503 while the flood holds the members' slots");
        Assert.That(refused.Output, Does.Contain("too many connections to the API socket"), refused.Output);

        var asRoot = await daemon.CliAsync("ls");
        Assert.That(asRoot.ExitCode, Is.Zero, $"root's CLI is served during the flood: {asRoot.Stderr}");
        await TestTimeouts.WaitUntilAsync(
            () => Task.FromResult(OpenFiles(pid) < baseline + cap + 32),
            TestTimeouts.Container,
            () => $"the daemon to hold about {cap} of the {flood} connections open (baseline {baseline} handles, now {OpenFiles(pid)})");
        Assert.That(daemon.IsRunning, Is.True, daemon.Output);
        var lines = daemon.Output.Split('\n').Count(l => l.Contains("too many connections from users other than root", StringComparison.Ordinal));
        Assert.That(lines, Is.InRange(1, 10), $"the refusals are logged, at most a line a minute, not one per connection:\n{daemon.Output}");

        await flooder.StandardInput.WriteLineAsync();
        flooder.StandardInput.Close();
        await flooder.WaitForExitAsync().WaitAsync(TestTimeouts.Short);
        await TestTimeouts.WaitUntilAsync(
            async () => (await CurlAsMember()).Output.EndsWith("\n200", StringComparison.Ordinal),
            TestTimeouts.Container,
            "a member to be served again once the flood closed");
        Assert.That(daemon.IsRunning, Is.True, daemon.Output);
    }

    private static Process StartFlooder(string setpriv, string member, string perl, string socket, int count)
    {
        var start = new ProcessStartInfo(setpriv)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[$"--reuid={member}", $"--regid={member}", "--init-groups", perl, "-e", Flooder, socket, $"{count}"])
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("cannot start the flooder");
    }

    private static async Task<string> ReadErrorAsync(Process process) =>
        process.HasExited ? await process.StandardError.ReadToEndAsync() : string.Empty;

    private static int OpenFiles(int pid) => Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;
}
