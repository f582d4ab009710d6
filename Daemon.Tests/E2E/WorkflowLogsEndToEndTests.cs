using System.Diagnostics;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// <c>workflows logs NAME RUN -f</c> on the published binary with two jobs running at once that print in turn: the
/// test itself sets the turns (each job waits for a file the test drops into its output volume once the other job's
/// line came through the follow), so the lines can only arrive if both jobs are streamed at the same time.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class WorkflowLogsEndToEndTests
{
    private const string Talk = """
        jobs:
          a:
            outputs:
              go-a: {type: volume}
            uses: container@v1
            with:
              image: gradient-test/web:1
              args: [sh, -c, "echo a1; until [ -f /outputs/go-a/a2 ]; do sleep 0.1; done; echo a2"]
          b:
            outputs:
              go-b: {type: volume}
            uses: container@v1
            with:
              image: gradient-test/web:1
              args: [sh, -c, "until [ -f /outputs/go-b/b1 ]; do sleep 0.1; done; echo b1; until [ -f /outputs/go-b/b2 ]; do sleep 0.1; done; echo b2"]
        """;

    private GradientNodeProcess? _node;
    private Process? _follow;

    [TearDown]
    public async Task TearDown()
    {
        if (_follow is { HasExited: false })
        {
            _follow.Kill();
        }

        _follow?.Dispose();
        _follow = null;
        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null;
        }
    }

    [Test]
    public async Task LogsFollow_TwoParallelJobsPrintingInTurn_LinesInterleavedAsTheyComeWithJobPrefix_EndsWithTheRun()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        var file = Path.Combine(_node.Root, "talk.yaml");
        await File.WriteAllTextAsync(file, Talk);
        var started = await _node.CliAsync("workflows", "run", "-f", file);
        Assert.That(started.ExitCode, Is.Zero, started.ToString());
        _follow = StartCli("workflows", "logs", "talk", "1", "-f");
        var volumes = Path.Combine(_node.StateDir, "workflows", "talk", "1", "volumes");

        var seen = new List<string> { await NextLineAsync() };
        await GoAsync(volumes, "b", "b1");
        seen.Add(await NextLineAsync());
        await GoAsync(volumes, "a", "a2");
        seen.Add(await NextLineAsync());
        await GoAsync(volumes, "b", "b2");
        seen.Add(await NextLineAsync());
        var rest = await _follow.StandardOutput.ReadToEndAsync().WaitAsync(TestTimeouts.Container);
        await _follow.WaitForExitAsync().WaitAsync(TestTimeouts.Container);
        var onlyB = await _node.CliAsync("workflows", "logs", "talk", "1", "--job", "b", "-f");

        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.EqualTo(new[] { "[a] a1", "[b] b1", "[a] a2", "[b] b2" }));
            Assert.That(rest, Is.Empty, "follow ends when the run ends");
            Assert.That(_follow.ExitCode, Is.Zero);
            Assert.That(onlyB.Stdout, Is.EqualTo("b1\nb2\n"), "--job shows one job's lines, unprefixed");
        });
    }

    [Test]
    public async Task Logs_EndedJobPrintedAProgressBar_KeptLogShowsItsStepsInOneLineAsTheContainerDid()
    {
        // Before: the kept log (the job's container is removed when it ends) was read with File.ReadAllLines, which also
        // ends a line at a lone \r: "10%\r20%\r30%" came out as three lines.
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        var file = Path.Combine(_node.Root, "bar.yaml");
        await File.WriteAllTextAsync(file, """
            jobs:
              train:
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, "printf 'epoch 1\\n10%%\\r20%%\\r30%%\\ndone\\n'"]
            """);
        var ran = await _node.CliAsync("workflows", "run", "-f", file, "--wait");
        Assert.That(ran.ExitCode, Is.Zero, ran.ToString());

        var logs = await _node.CliAsync("workflows", "logs", "bar", "1");
        // --tail reads the kept log from its end, splitting lines at \n only as the whole log does.
        var tail = await _node.CliAsync("workflows", "logs", "bar", "1", "--tail", "2");

        Assert.Multiple(() =>
        {
            Assert.That(logs.ExitCode, Is.Zero, logs.ToString());
            Assert.That(logs.Stdout, Is.EqualTo("epoch 1\n10%\r20%\r30%\ndone\n"));
            Assert.That(tail.Stdout, Is.EqualTo("10%\r20%\r30%\ndone\n"), tail.ToString());
        });
    }

    [Test]
    public async Task LogsFollow_DaemonRestartsMidRun_ShutdownNotHeldAndClientFollowsOnWithoutRepeating()
    {
        // Before: the cut stream ended logs -f with exit 1 ("the daemon closed the stream before it ended") while the job
        // went on; now it follows through the restart, as run --wait does.
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        var file = Path.Combine(_node.Root, "slow.yaml");
        await File.WriteAllTextAsync(file, "jobs:\n  a:\n    uses: container@v1\n    with:\n      image: gradient-test/web:1\n      args: [sh, -c, \"echo started; sleep 10; echo done\"]\n");
        var started = await _node.CliAsync("workflows", "run", "-f", file);
        Assert.That(started.ExitCode, Is.Zero, started.ToString());
        _follow = StartCli("workflows", "logs", "slow", "1", "-f");
        Assert.That(await NextLineAsync(), Is.EqualTo("started"));

        await _node.StopAsync();
        var stopLog = _node.Output;
        await _node.StartAsync([]);
        var rest = await _follow.StandardOutput.ReadToEndAsync().WaitAsync(TestTimeouts.Container);
        await _follow.WaitForExitAsync().WaitAsync(TestTimeouts.Container);
        var stderr = await _follow.StandardError.ReadToEndAsync();

        Assert.Multiple(() =>
        {
            // The daemon says so itself when its shutdown ran out of time (ShutdownOverrunReporter); no clock in the test.
            Assert.That(stopLog, Does.Not.Contain("shutdown ran past"), "an open log stream must not hold the daemon's shutdown for its 15 s timeout");
            Assert.That(rest, Is.EqualTo("done\n"), "the replayed 'started' is not printed again");
            Assert.That(_follow.ExitCode, Is.Zero, stderr);
            Assert.That(stderr, Does.Contain("(the daemon closed the log stream (restarting?); still following)").And.Contain("(the daemon answers again)"));
        });
    }

    [Test]
    public async Task LogsFollow_RunOfMoreJobsThanMaxLogFollows_HoldsOnePlaceAndShowsEveryJobsLinesOnceInOrder()
    {
        // Before: a followed run held one place per job not ended, so this run of three needed three places and was
        // refused under --max-log-follows 1 (a run of more than 64 jobs could be followed only with --job).
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = GradientNodeProcess.Prepare();
        await _node.StartAsync(extraArgs: ["--max-log-follows", "1"]);
        var file = Path.Combine(_node.Root, "many.yaml");
        await File.WriteAllTextAsync(file, "jobs:\n" + string.Concat(Jobs.Select(Chatty)));
        var started = await _node.CliAsync("workflows", "run", "-f", file);
        Assert.That(started.ExitCode, Is.Zero, started.ToString());
        _follow = StartCli("workflows", "logs", "many", "1", "-f");
        var lines = new List<string>();
        var reading = Task.Run(async () =>
        {
            while (await _follow.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (lines)
                {
                    lines.Add(line);
                }
            }
        });
        await TestTimeouts.WaitUntilAsync(
            () => Task.FromResult(Jobs.All(j => Snapshot(lines).Contains($"[{j}] {j}300"))),
            TestTimeouts.Container,
            () => $"every job's first 300 lines through the follow (so far {Snapshot(lines).Count} lines; stderr: {(_follow.HasExited ? _follow.StandardError.ReadToEnd() : "")})");

        // The open follow holds the only place: another follow is refused, naming the setting and who holds it.
        using var http = _node.SocketClient();
        using var second = await http.GetAsync("v1/workflows/many/runs/1/logs?follow=true", HttpCompletionOption.ResponseHeadersRead);
        var refusal = await second.Content.ReadAsStringAsync();
        var volumes = Path.Combine(_node.StateDir, "workflows", "many", "1", "volumes");
        foreach (var job in Jobs)
        {
            await GoAsync(volumes, job, "go");
        }

        await _follow.WaitForExitAsync().WaitAsync(TestTimeouts.Container);
        await reading.WaitAsync(TestTimeouts.Short);
        var stderr = await _follow.StandardError.ReadToEndAsync();

        Assert.Multiple(() =>
        {
            Assert.That(_follow.ExitCode, Is.Zero, stderr);
            Assert.That((int)second.StatusCode, Is.EqualTo(503), refusal);
            Assert.That(refusal, Does.StartWith("the node follows 1 container logs now and at most 1 at once (--max-log-follows)").And.Contain("held by uid 0"));
            foreach (var job in Jobs)
            {
                var expected = Enumerable.Range(1, 600).Select(i => $"[{job}] {job}{i}").Append($"[{job}] {job}-err").Order(StringComparer.Ordinal);
                var mine = lines.Where(l => l.StartsWith($"[{job}] ", StringComparison.Ordinal)).ToList();
                Assert.That(mine.Order(StringComparer.Ordinal), Is.EqualTo(expected), $"job {job}: every line once");
                Assert.That(mine.Where(l => !l.EndsWith("-err", StringComparison.Ordinal)), Is.EqualTo(Enumerable.Range(1, 600).Select(i => $"[{job}] {job}{i}")), $"job {job}: in order");
            }

            Assert.That(lines, Has.Count.EqualTo(Jobs.Length * 601), "no other line");
        });
    }

    private static readonly string[] Jobs = ["a", "b", "c"];

    /// <summary>A job that prints 300 numbered lines, one on stderr, then waits for the test's go file and prints 300 more.</summary>
    private static string Chatty(string job) => $$"""
          {{job}}:
            outputs:
              go-{{job}}: {type: volume}
            uses: container@v1
            with:
              image: gradient-test/web:1
              args: [sh, -c, "i=0; while [ $i -lt 300 ]; do i=$((i+1)); echo {{job}}$i; done; echo {{job}}-err >&2; until [ -f /outputs/go-{{job}}/go ]; do sleep 0.1; done; while [ $i -lt 600 ]; do i=$((i+1)); echo {{job}}$i; done"]

        """;

    private static List<string> Snapshot(List<string> lines)
    {
        lock (lines)
        {
            return [.. lines];
        }
    }

    /// <summary>Drops the file job <paramref name="job"/> waits for into its output volume (once the job made that folder).</summary>
    private static async Task GoAsync(string volumes, string job, string turn)
    {
        var go = Path.Combine(volumes, job, $"go-{job}");
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(Directory.Exists(go)), TestTimeouts.Container, $"job {job}'s output volume");
        await File.WriteAllTextAsync(Path.Combine(go, turn), turn);
    }

    private async Task<string> NextLineAsync() =>
        await _follow!.StandardOutput.ReadLineAsync().WaitAsync(TestTimeouts.Container) ?? "(end of output)";

    private Process StartCli(params string[] args)
    {
        var start = new ProcessStartInfo(GradientNodeProcess.BinaryPath()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--socket");
        start.ArgumentList.Add(_node!.Socket);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }
}
