using System.Diagnostics;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// Control characters a container prints (OSC 52 clipboard writes, window titles, <c>ESC c</c>, NUL, C1 controls) reach
/// the reader's terminal only as text, through the published binary: <c>logs</c> and <c>workflows logs</c> on a real
/// pseudo-terminal (<c>script(1)</c>) show them as <c>\x1b</c>…, keep SGR colours and <c>\r</c>, and pass them unchanged to
/// a pipe or with <c>--raw</c>; <c>ls</c> and <c>get</c> show an exec probe's output as text even in a pipe.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class TerminalOutputEndToEndTests
{
    /// <summary>What the containers print (sh printf escapes, in YAML double quotes): OSC 52, BEL, SGR, \r, tab, NUL, ESC c, C1 CSI.</summary>
    private const string Hostile = @"A\\033]52;c;aGk=\\007B \\033[31mred\\033[0m 1%%\\r2%%\\t\\000Z\\033c\\302\\233\\n";

    /// <summary>The line as a terminal gets it from the node: every control but SGR, \r and tab as text.</summary>
    private const string Shown = "A\\x1b]52;c;aGk=\\x07B \u001b[31mred\u001b[0m 1%\r2%\t\\x00Z\\x1bc\\u009b";

    /// <summary>The line as the container printed it.</summary>
    private const string Printed = "A\u001b]52;c;aGk=\u0007B \u001b[31mred\u001b[0m 1%\r2%\t\0Z\u001bc\u009b";

    private GradientNodeProcess? _node;

    [SetUp]
    public async Task SetUp()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null;
        }
    }

    [Test]
    public async Task Logs_ContainerPrintsControlCharacters_ATerminalShowsThemAsTextAPipeAndRawGetThemUnchanged()
    {
        var node = _node!;
        await node.WriteSpecAsync("esc.yaml", SpecYaml.V1("esc", replicas: 1, top: $"command: [\"/bin/sh\", \"-c\", \"printf '{Hostile}'; exec /bin/serve\"]"));
        var piped = await WaitForLogAsync(() => node.CliAsync("logs", "esc"), "esc's line in its log");

        var terminal = await UnderTerminalAsync("logs", "esc");
        var raw = await UnderTerminalAsync("logs", "esc", "--raw");
        var followed = await FollowUntilAsync(node, "Z", "logs", "esc", "-f");

        Assert.Multiple(() =>
        {
            Assert.That(terminal, Does.Contain(Shown), "before, the terminal got the clipboard write, the reset and the NUL");
            Assert.That(terminal, Does.Not.Contain("\u001b]").And.Not.Contain("\u0007").And.Not.Contain("\0").And.Not.Contain("\u001bc").And.Not.Contain("\u009b"));
            Assert.That(piped.Stdout, Does.Contain(Printed), "a pipe gets the log as the container printed it");
            Assert.That(raw, Does.Contain(Printed), "--raw passes it to the terminal unchanged");
            Assert.That(followed, Does.Contain("[0] " + Printed), "-f keeps the \\r in its line (before, each step came as a line of its own)");
        });
    }

    [Test]
    public async Task WorkflowsLogs_JobPrintsControlCharacters_ATerminalShowsThemAsTextAPipeGetsThemUnchanged()
    {
        var node = _node!;
        var file = Path.Combine(node.Root, "escwf.yaml");
        await File.WriteAllTextAsync(file, $$"""
            jobs:
              say:
                outputs:
                  s: {type: string}
                uses: container@v1
                with:
                  image: {{TestEnvironment.WebImage}}
                  args: [sh, -c, "printf '{{Hostile}}'; printf 'out\\033]52;c;eA==\\007\\302\\233' > /outputs/s"]
            """);
        var run = await node.CliAsync("workflows", "run", "-f", file, "--wait");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());

        var terminal = await UnderTerminalAsync("workflows", "logs", "escwf", "1");
        var piped = await node.CliAsync("workflows", "logs", "escwf", "1");
        var get = await node.CliAsync("workflows", "get", "escwf", "1");

        Assert.Multiple(() =>
        {
            // A job's \r stays in its line, from the kept log too (before, that copy was read back with a line break for it).
            Assert.That(terminal, Does.Contain(Shown), "before, the terminal got the clipboard write");
            Assert.That(terminal, Does.Not.Contain("\u001b]").And.Not.Contain("\u0007").And.Not.Contain("\0").And.Not.Contain("\u009b"));
            Assert.That(piped.Stdout, Does.Contain(Printed), "a pipe gets the log as the job printed it");
            Assert.That(get.Stdout, Does.Contain("out").And.Not.Contain("\u001b").And.Not.Contain("\u0007").And.Not.Contain("\u009b"), "the string output is shown as text");
        });
    }

    [Test]
    public async Task LsAndGet_ExecProbePrintsControlCharacters_ShownAsTextEvenInAPipe()
    {
        var node = _node!;
        const string Probe = """
            healthChecks:
              readiness:
                exec:
                  command: ["/bin/sh", "-c", "printf 'no \\033]0;pwned\\007\\033[2J\\302\\233'; exit 1"]
                periodSeconds: 1
            """;
        await node.WriteSpecAsync("probe.yaml", SpecYaml.V1("probe", replicas: 1, extra: Probe));
        await node.WaitForStatusAsync("probe", s => s.Message.Contains("pwned", StringComparison.Ordinal), "the probe's output in the status");

        var ls = await node.CliAsync("ls");
        var get = await node.CliAsync("get", "probe");
        var wide = await node.CliAsync("get", "probe", "-o", "wide");

        Assert.Multiple(() =>
        {
            foreach (var (what, text) in new[] { ("ls", ls.Stdout), ("get", get.Stdout), ("get -o wide", wide.Stdout) })
            {
                Assert.That(text, Does.Not.Contain("\u001b").And.Not.Contain("\u0007").And.Not.Contain("\u009b"), $"{what}: before, the window title and the screen clear reached the terminal");
            }

            // The node already replaces a replica's control characters with '?' before they reach the status (ReplicaText);
            // the CLI's own escaping, for text that still holds them, is TerminalSafeWriterTests' and the log tests' above.
            Assert.That(get.Stdout, Does.Contain("no ?]0;pwned??[2J?"), "get's State line shows the probe's output as text");
        });
    }

    private static async Task<CliResult> WaitForLogAsync(Func<Task<CliResult>> read, string what)
    {
        CliResult last = null!;
        await TestTimeouts.WaitUntilAsync(
            async () => (last = await read()).Stdout.Contains('Z', StringComparison.Ordinal),
            TestTimeouts.Rollout,
            () => $"{what}; last: {last}");
        return last;
    }

    /// <summary>Runs a following client verb into a pipe until its output holds <paramref name="until"/>, then stops it.</summary>
    private static async Task<string> FollowUntilAsync(GradientNodeProcess node, string until, params string[] args)
    {
        var start = new ProcessStartInfo(GradientNodeProcess.BinaryPath()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--socket", node.Socket }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var shown = new System.Text.StringBuilder();
        var reading = Task.Run(async () =>
        {
            var buffer = new char[4096];
            int read;
            while ((read = await process.StandardOutput.ReadAsync(buffer)) > 0)
            {
                lock (shown)
                {
                    shown.Append(buffer, 0, read);
                }
            }
        });
        string Shown()
        {
            lock (shown)
            {
                return shown.ToString();
            }
        }

        try
        {
            await TestTimeouts.WaitUntilAsync(() => Task.FromResult(Shown().Contains(until, StringComparison.Ordinal)), TestTimeouts.Container, () => $"'{until}' from {string.Join(' ', args)}: {Shown()}");
        }
        finally
        {
            process.Kill();
            await reading;
        }

        return Shown();
    }

    /// <summary>The client verb with stdout a pseudo-terminal (util-linux <c>script</c>): what the terminal got, \r\n as \n.</summary>
    private async Task<string> UnderTerminalAsync(params string[] args)
    {
        var command = $"'{GradientNodeProcess.BinaryPath()}' --socket '{_node!.Socket}' {string.Join(' ', args)}";
        var start = new ProcessStartInfo("script") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in (string[])["-qefc", command, "/dev/null"])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TERM"] = "xterm";
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TestTimeouts.Container);
        await process.WaitForExitAsync(timeout.Token);
        Assert.That(process.ExitCode, Is.Zero, await stdout);
        return (await stdout).Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
