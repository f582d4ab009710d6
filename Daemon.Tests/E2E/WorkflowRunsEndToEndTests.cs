using System.Text.Json;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// The published binary on a real engine: <c>workflows delete</c> (an ended run goes, a running one is refused with the
/// cancel command, an unknown one is told so, a number is never given twice), <c>--workflow-runs-kept</c> when a run
/// ends and at start, a failed job's new dataset removed at the run's end, and outputs in the file's order.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class WorkflowRunsEndToEndTests
{
    private const string Quick = """
        jobs:
          a:
            uses: container@v1
            with:
              image: gradient-test/web:1
              args: [sh, -c, "echo hi"]
        """;

    private GradientNodeProcess? _node;

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
    public async Task WorkflowsDelete_EndedRunningAndUnknownRuns_OnlyTheEndedOneGoesAndItsNumberIsNotReused()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        var quick = await WriteAsync("quick.yaml", Quick);
        var slow = await WriteAsync("slow.yaml", """
            jobs:
              a:
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, "trap 'exit 0' TERM; sleep 60 & wait"]
            """);
        Assert.That((await _node.CliAsync("workflows", "run", "-f", quick, "--wait")).ExitCode, Is.Zero);
        Assert.That((await _node.CliAsync("workflows", "run", "-f", quick, "--wait")).ExitCode, Is.Zero);
        Assert.That((await _node.CliAsync("workflows", "run", "-f", slow)).ExitCode, Is.Zero);

        var deleted = await _node.CliAsync("workflows", "delete", "quick", "2");
        var runs = await _node.CliAsync("workflows", "runs", "quick");
        var get = await _node.CliAsync("workflows", "get", "quick", "2");
        var list = await _node.CliAsync("workflows", "ls");
        var third = await _node.CliAsync("workflows", "run", "-f", quick, "--wait");
        var unknown = await _node.CliAsync("workflows", "delete", "quick", "9");
        var running = await _node.CliAsync("workflows", "delete", "slow", "1");
        var stillThere = await _node.CliAsync("workflows", "get", "slow", "1", "-o", "json");
        await _node.CliAsync("workflows", "cancel", "slow", "1");

        Assert.Multiple(() =>
        {
            Assert.That(deleted.ExitCode, Is.Zero, deleted.ToString());
            Assert.That(deleted.Stdout, Is.EqualTo("workflow 'quick' run 2 deleted\n"));
            Assert.That(runs.Stdout, Does.Match(@"(?m)^1 +SUCCEEDED ").And.Not.Match(@"(?m)^2 "), runs.ToString());
            Assert.That(get.ExitCode, Is.EqualTo(1));
            Assert.That(get.Stderr, Does.Contain("workflow 'quick' has no run 2"));
            Assert.That(list.Stdout, Does.Match(@"(?m)^quick +1 +1 +SUCCEEDED\s*$"), "one run left, the newest is run 1");
            Assert.That(Directory.Exists(Path.Combine(_node.StateDir, "workflows", "quick", "2")), Is.False, "the run's folder is gone");
            Assert.That(third.Stdout, Does.Contain("workflow 'quick' run 3 started"), "run 2's number is never given again");
            Assert.That(unknown.ExitCode, Is.EqualTo(1));
            Assert.That(unknown.Stderr, Does.Contain("workflow 'quick' has no run 9 (its runs, newest first: 3, 1; gradient-node workflows runs quick)"));
            Assert.That(running.ExitCode, Is.EqualTo(1));
            Assert.That(running.Stderr, Does.Contain("workflow 'slow' run 1 has not ended (RUNNING); cancel it first with: gradient-node workflows cancel slow 1, then delete it once it has ended"), running.ToString());
            Assert.That(stillThere.ExitCode, Is.Zero, "a refused delete leaves the run");
            Assert.That(File.GetUnixFileMode(Path.Combine(_node.StateDir, "workflows")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        });
    }

    [Test]
    public async Task WorkflowsDeleteAll_TwoEndedAndOneRunning_TheEndedGoTheRunningIsNamedAndExitIsOne()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        var quick = await WriteAsync("quick.yaml", Quick);
        var slow = await WriteAsync("slow.yaml", """
            jobs:
              a:
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, "trap 'exit 0' TERM; sleep 60 & wait"]
            """);
        Assert.That((await _node.CliAsync("workflows", "run", "-f", quick, "--name", "mix", "--wait")).ExitCode, Is.Zero);
        Assert.That((await _node.CliAsync("workflows", "run", "-f", quick, "--name", "mix", "--wait")).ExitCode, Is.Zero);
        Assert.That((await _node.CliAsync("workflows", "run", "-f", slow, "--name", "mix")).ExitCode, Is.Zero);

        var partial = await _node.CliAsync("workflows", "delete", "mix", "--all");
        var runs = await _node.CliAsync("workflows", "runs", "mix");
        await _node.CliAsync("workflows", "cancel", "mix", "3");
        await TestTimeouts.WaitUntilAsync(
            async () => (await _node.CliAsync("workflows", "get", "mix", "3", "-o", "json")).Stdout.Contains("\"CANCELED\"", StringComparison.Ordinal),
            TestTimeouts.Container,
            "run 3 to end CANCELED");
        CliResult rest = null!;
        await TestTimeouts.WaitUntilAsync(
            async () => (rest = await _node.CliAsync("workflows", "delete", "mix", "--all")).ExitCode == 0,
            TestTimeouts.Short,
            "the canceled run to be deleted");
        var none = await _node.CliAsync("workflows", "delete", "mix", "--all");
        var next = await _node.CliAsync("workflows", "run", "-f", quick, "--name", "mix", "--wait");

        Assert.Multiple(() =>
        {
            Assert.That(partial.ExitCode, Is.EqualTo(1), partial.ToString());
            Assert.That(partial.Stdout, Is.EqualTo("workflow 'mix': deleted 2 ended runs: 1, 2\n"));
            Assert.That(partial.Stderr, Is.EqualTo("error: workflow 'mix' run 3 has not ended (RUNNING); cancel it first with: gradient-node workflows cancel mix 3, then delete it once it has ended\n"));
            Assert.That(runs.Stdout, Does.Match(@"(?m)^3 +RUNNING ").And.Not.Match(@"(?m)^[12] "), runs.ToString());
            Assert.That(Directory.Exists(Path.Combine(_node.StateDir, "workflows", "mix", "1")), Is.False, "run 1's folder is gone");
            Assert.That(Directory.Exists(Path.Combine(_node.StateDir, "workflows", "mix", "2")), Is.False, "run 2's folder is gone");
            Assert.That(rest.Stdout, Is.EqualTo("workflow 'mix': deleted 1 ended run: 3\n"), rest.ToString());
            Assert.That(none.ExitCode, Is.EqualTo(1));
            Assert.That(none.Stderr, Does.Contain("no workflow 'mix' (it has no runs on this node"), none.ToString());
            Assert.That(next.Stdout, Does.Contain("workflow 'mix' run 4 started"), "deleted numbers are never given again");
        });
    }

    [Test]
    public async Task WorkflowRunsKept_MoreEndedRunsThanKept_OldestDeletedWhenARunEndsAndAtStart()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = GradientNodeProcess.Prepare();
        await _node.StartAsync([]);
        var quick = await WriteAsync("quick.yaml", Quick);
        for (var i = 0; i < 3; i++)
        {
            Assert.That((await _node.CliAsync("workflows", "run", "-f", quick, "--wait")).ExitCode, Is.Zero);
        }

        var before = await _node.CliAsync("workflows", "runs", "quick");
        await _node.StopAsync();
        await _node.StartAsync(["--workflow-runs-kept", "2"]);
        var atStart = await _node.CliAsync("workflows", "runs", "quick");
        Assert.That((await _node.CliAsync("workflows", "run", "-f", quick, "--wait")).ExitCode, Is.Zero);
        CliResult? afterEnd = null;
        await TestTimeouts.WaitUntilAsync(async () => !(afterEnd = await _node.CliAsync("workflows", "runs", "quick")).Stdout.Contains("\n2 ", StringComparison.Ordinal), TestTimeouts.Short, () => "run 2 to be deleted: " + afterEnd);

        Assert.Multiple(() =>
        {
            Assert.That(Numbers(before), Is.EqualTo(new[] { "1", "2", "3" }), before.ToString());
            Assert.That(Numbers(atStart), Is.EqualTo(new[] { "2", "3" }), atStart.ToString());
            Assert.That(Numbers(afterEnd!), Is.EqualTo(new[] { "3", "4" }), afterEnd!.ToString());
            Assert.That(_node.Output, Does.Contain("workflow quick: deleted 1 ended run(s) beyond the newest 2 ended ones kept (workflowRunsKept): 1"));
            Assert.That(_node.Output, Does.Contain("workflow quick: deleted 1 ended run(s) beyond the newest 2 ended ones kept (workflowRunsKept): 2"));
        });
    }

    [Test]
    public async Task WorkflowsRun_FailedJobWhoseOutputCreatedADataset_DatasetRemovedOneThatExistedKept()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        Assert.That((await _node.CliAsync("datasets", "create", "kept")).ExitCode, Is.Zero);
        var file = await WriteAsync("fails.yaml", """
            jobs:
              f:
                uses: container@v1
                outputs:
                  fresh:
                    type: dataset
                    with: {ref: fresh}
                  kept:
                    type: dataset
                    with: {ref: kept}
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, "echo x > /outputs/fresh/f; exit 3"]
            """);

        var run = await _node.CliAsync("workflows", "run", "-f", file, "--wait");
        // At once: --wait returns when the run's end is saved, and it is saved once, with the note.
        var get = await _node.CliAsync("workflows", "get", "fails", "1");
        var datasets = await _node.CliAsync("datasets", "ls");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(get.Stdout, Does.Contain("Message:   job f ended FAILED: exited with code 3; its outputs fresh, kept were not kept (nothing of what it wrote was committed: a job's outputs are kept only when it succeeds); removed dataset 'fresh': this run created it for a dataset output and no job committed a version to it"));
            Assert.That(datasets.Stdout, Does.Contain("kept").And.Not.Contain("fresh"), datasets.ToString());
            Assert.That(_node.Output, Does.Contain("workflow fails run 1: removed dataset 'fresh'"));
        });
    }

    [Test]
    public async Task WorkflowsGet_FirstJobInTheFileEndsLast_OutputsInTheFileOrder()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        var file = await WriteAsync("order.yaml", """
            jobs:
              slow:
                uses: container@v1
                outputs:
                  z:
                    type: string
                  a:
                    type: volume
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, "sleep 2; printf zz > /outputs/z"]
              fast:
                uses: container@v1
                outputs:
                  m:
                    type: string
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, "printf mm > /outputs/m"]
            """);

        var run = await _node.CliAsync("workflows", "run", "-f", file, "--wait");
        var json = await _node.CliAsync("workflows", "get", "order", "1", "-o", "json");
        var text = await _node.CliAsync("workflows", "get", "order", "1");

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        using var status = JsonDocument.Parse(json.Stdout);
        var root = status.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(run.Stdout.IndexOf("fast: SUCCEEDED", StringComparison.Ordinal), Is.LessThan(run.Stdout.IndexOf("slow: SUCCEEDED", StringComparison.Ordinal)), "fast ended first: " + run.Stdout);
            Assert.That(root.GetProperty("outputs").EnumerateObject().Select(o => o.Name), Is.EqualTo(new[] { "slow.z", "slow.a", "fast.m" }));
            Assert.That(root.GetProperty("jobs").GetProperty("slow").GetProperty("outputs").EnumerateObject().Select(o => o.Name), Is.EqualTo(new[] { "z", "a" }));
            Assert.That(text.Stdout, Does.Match(@"Outputs:\n  slow\.z +string +""zz""\n  slow\.a +volume *\n  fast\.m +string +""mm""\n"), text.ToString());
        });
    }

    private static IEnumerable<string> Numbers(CliResult runs) =>
        runs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(' ')[0]);

    [Test]
    public async Task WorkflowsRunWait_QuickJobAndAJobThatNeverStarts_RunningPrintedForTheOneThatRanOnly()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        var quick = await WriteAsync("quick.yaml", Quick);
        // An image that is not on the node and whose registry refuses the connection ends the job ERROR before it starts
        // (a missing secret or registry connection, used here before, is now refused at submit).
        var noSecret = await WriteAsync("nosecret.yaml", """
            jobs:
              b:
                uses: container@v1
                resources:
                  instance-type: C3
                with:
                  image: 127.0.0.1:9/gradient-test/nosuch:1
            """);

        // "echo hi" often starts and ends between two polls (300 ms): before, --wait printed PENDING then SUCCEEDED.
        var ran = await _node.CliAsync("workflows", "run", "-f", quick, "--wait");
        var never = await _node.CliAsync("workflows", "run", "-f", noSecret, "--wait");
        var neverJson = await _node.CliAsync("workflows", "get", "nosecret", "1", "-o", "json");

        Assert.Multiple(() =>
        {
            Assert.That(ran.ExitCode, Is.Zero, ran.ToString());
            Assert.That(ran.Stdout, Does.Match(@"(?ms)^a: RUNNING$.*^a: SUCCEEDED$"), ran.ToString());
            Assert.That(never.ExitCode, Is.EqualTo(1), never.ToString());
            Assert.That(never.Stdout, Does.Contain("b: ERROR: "), never.ToString());
            Assert.That(never.Stdout, Does.Not.Contain("b: RUNNING"), "it never started");
            using var job = JsonDocument.Parse(neverJson.Stdout);
            Assert.That(job.RootElement.GetProperty("jobs").GetProperty("b").TryGetProperty("started", out _), Is.False, neverJson.Stdout);
        });
    }

    private async Task<string> WriteAsync(string name, string yaml)
    {
        var path = Path.Combine(_node!.Root, name);
        await File.WriteAllTextAsync(path, yaml);
        return path;
    }
}
