using System.Text.Json;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// The published binary runs the seed page's first example (GRADIENT-SEMANTICS §9, seeds/003) with the busybox test
/// image in place of <c>bash:5</c>: <c>workflows run --wait</c>, then <c>get -o json|yaml</c>, <c>logs</c>,
/// <c>ls</c>, <c>runs</c>, <c>/metrics</c>; a failing run exits 1; an invalid file or inputs file is refused with file:line:col;
/// an image that runs as a user other than root writes its outputs; a job over the job limit says it waits for a slot.
/// The input dataset is put in the node's dataset folder directly (the dataset CLI's upload comes with the dataset store).
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class WorkflowsEndToEndTests
{
    private const string SeedWorkflow = """
        defaults:
          env:
            HELLO: world
        inputs:
          data:
            type: dataset
            with:
              ref: test-one
          echo:
            type: string
            with:
              value: default text
        jobs:
          job-1:
            inputs:
              data: workflow.inputs.data
              echo: workflow.inputs.echo
            outputs:
              data2:
                type: dataset
                with:
                  ref: test-two
              echo2:
                type: string
            env:
              TSTVAR: test
            uses: container@v1
            with:
              image: gradient-test/web:1
              args:
                - sh
                - -c
                - find /inputs/data > /outputs/data2/list.txt; echo ENV $HELLO $TSTVAR > /outputs/echo2; cat /inputs/echo; echo; cat /outputs/data2/list.txt /outputs/echo2
          job-2:
            inputs:
              data2: job-1.outputs.data2
              echo2: job-1.outputs.echo2
            uses: container@v1
            with:
              image: gradient-test/web:1
              args:
                - sh
                - -c
                - ls /inputs/data2; cat /inputs/echo2
            needs:
              - job-1
        """;

    private GradientNodeProcess? _node;

    [TearDown]
    public async Task TearDown()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null; // one fixture object runs every test: a test ignored before it starts a node must not dispose the last one's again
        }
    }

    [Test]
    public async Task WorkflowsRun_SeedExample_SucceedsWithOutputsInStatusLogsAndMetrics()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        var data = Directory.CreateDirectory(Path.Combine(_node.Root, "test-one-files")).FullName;
        await File.WriteAllTextAsync(Path.Combine(data, "a.txt"), "A");
        Assert.That((await _node.CliAsync("datasets", "create", "test-one")).ExitCode, Is.Zero);
        Assert.That((await _node.CliAsync("datasets", "create", "test-two")).ExitCode, Is.Zero);
        var upload = await _node.CliAsync("datasets", "upload", "test-one", data);
        Assert.That(upload.ExitCode, Is.Zero, upload.ToString());
        var testOne = upload.Stdout.Split(' ')[0];
        var file = Path.Combine(_node.Root, "seed.yaml");
        await File.WriteAllTextAsync(file, SeedWorkflow);
        var inputs = Path.Combine(_node.Root, "inputs.json");
        await File.WriteAllTextAsync(inputs, """{"inputs": {"data": {"id": "test-one"}, "echo": {"value": "hello world"}}}""");

        var run = await _node.CliAsync("workflows", "run", "-f", file, "--inputs", inputs, "--wait");
        var json = await _node.CliAsync("workflows", "get", "seed", "1", "-o", "json");
        var yaml = await _node.CliAsync("workflows", "get", "seed", "1", "-o", "yaml");
        var text = await _node.CliAsync("workflows", "get", "seed", "1");
        var logs = await _node.CliAsync("workflows", "logs", "seed", "1");
        var oneJob = await _node.CliAsync("workflows", "logs", "seed", "1", "--job", "job-2");
        var list = await _node.CliAsync("workflows", "ls");
        var runs = await _node.CliAsync("workflows", "runs", "seed");
        var metrics = await _node.ApiGetAsync("/metrics");
        var versions = await _node.CliAsync("datasets", "versions", "test-two");
        var download = Path.Combine(_node.Root, "test-two-download");
        var downloaded = await _node.CliAsync("datasets", "download", "test-two", download);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        using var status = JsonDocument.Parse(json.Stdout);
        var root = status.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(run.Stdout, Does.Contain("workflow 'seed' run 1 started").And.Contain("job-1: SUCCEEDED").And.Contain("run 1: SUCCEEDED"));
            Assert.That(root.GetProperty("phase").GetString(), Is.EqualTo("SUCCEEDED"));
            Assert.That(root.GetProperty("inputs").GetProperty("data").GetProperty("dataset").GetProperty("id").GetString(), Is.EqualTo(testOne));
            Assert.That(root.GetProperty("inputs").GetProperty("data").GetProperty("with").GetProperty("ref").GetString(), Is.EqualTo("test-one"));
            var output = root.GetProperty("jobs").GetProperty("job-1").GetProperty("outputs");
            var testTwo = output.GetProperty("data2").GetProperty("dataset").GetProperty("id").GetString();
            Assert.That(testTwo, Does.Match("^test-two:[a-z0-9]{7}$"));
            Assert.That(versions.Stdout, Does.Contain(testTwo!.Split(':')[1]), "datasets versions shows the committed version");
            Assert.That(text.Stdout, Does.StartWith("Workflow:  seed (run 1)\nPhase:     SUCCEEDED\n"), text.ToString());
            Assert.That(text.Stdout, Does.Match($@"\n  job-1\.data2 +dataset +{testTwo}\n"), "the committed version in the outputs");
            Assert.That(output.GetProperty("data2").GetProperty("dataset").GetProperty("isCommitted").GetBoolean(), Is.True);
            Assert.That(output.GetProperty("echo2").GetProperty("value").GetString(), Is.EqualTo("ENV world test\n"));
            Assert.That(root.GetProperty("jobs").GetProperty("job-2").GetProperty("exitCode").GetInt32(), Is.Zero);
            Assert.That(yaml.Stdout, Does.Contain("phase: SUCCEEDED"));
            Assert.That(logs.Stdout, Does.Contain("[job-1] hello world").And.Contain("[job-2] list.txt").And.Contain("[job-2] ENV world test"));
            Assert.That(oneJob.Stdout, Is.EqualTo("list.txt\nENV world test\n"));
            // Columns are aligned under their headers (StatusPrinter.WriteColumns), so only the order of the words is fixed.
            Assert.That(list.Stdout, Does.Match(@"(?m)^NAME +RUNS +LAST +PHASE\s*\nseed +1 +1 +SUCCEEDED\s*$"));
            Assert.That(runs.Stdout, Does.Match(@"(?m)^1 +SUCCEEDED +\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ +\d{4}-"));
            Assert.That(metrics, Does.Contain("gradient_workflow_runs{phase=\"SUCCEEDED\"} 1").And.Contain("gradient_workflow_jobs{phase=\"SUCCEEDED\"} 2"));
            Assert.That(downloaded.ExitCode, Is.Zero, downloaded.ToString());
            Assert.That(File.ReadAllText(Path.Combine(download, "list.txt")), Is.EqualTo("/inputs/data\n/inputs/data/a.txt\n"));
        });
    }

    [Test]
    public async Task WorkflowsRun_ImageRunsAsUser1000_WritesEveryKindOfOutputAndOnlyRootReadsTheRunFolder()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        var file = Path.Combine(_node.Root, "user.yaml");
        // The reader's script is longer than one argument may be (128 KiB): run from a file, not as bash -c SCRIPT, which
        // ended "exec /bin/bash: argument list too long". The file is read as user 1000.
        var padding = "# " + new string('x', 140 * 1024);
        await File.WriteAllTextAsync(file, $$"""
            jobs:
              write:
                uses: script@v1
                outputs:
                  s:
                    type: string
                  v:
                    type: volume
                  d:
                    type: dataset
                    with:
                      ref: by-user
                with:
                  image: gradient-test/bash-user:1
                  script: id -u; printf text > /outputs/s; echo vol > /outputs/v/f; mkdir /outputs/d/sub; echo data > /outputs/d/sub/f
              read:
                needs: [write]
                uses: script@v1
                inputs:
                  s: write.outputs.s
                  v: write.outputs.v
                  d: write.outputs.d
                with:
                  image: gradient-test/bash-user:1
                  script: |
                    {{padding}}
                    cat /inputs/s /inputs/v/f /inputs/d/sub/f
            """);

        var run = await _node.CliAsync("workflows", "run", "-f", file, "--wait");
        var logs = await _node.CliAsync("workflows", "logs", "user", "1");
        var json = await _node.CliAsync("workflows", "get", "user", "1", "-o", "json");

        Assert.That(run.ExitCode, Is.Zero, run + "\n" + logs);
        using var status = JsonDocument.Parse(json.Stdout);
        var outputs = status.RootElement.GetProperty("jobs").GetProperty("write").GetProperty("outputs");
        Assert.Multiple(() =>
        {
            Assert.That(logs.Stdout, Does.Contain("[write] 1000\n").And.Contain("[read] textvol\n[read] data\n"), "the jobs ran as user 1000 and the second read what the first wrote");
            Assert.That(outputs.GetProperty("s").GetProperty("value").GetString(), Is.EqualTo("text"));
            Assert.That(outputs.GetProperty("d").GetProperty("dataset").GetProperty("isCommitted").GetBoolean(), Is.True);
            Assert.That(File.GetUnixFileMode(Path.Combine(_node.StateDir, "workflows")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute),
                "the kept logs, outputs and inputs (0777 output folders among them) are for the API's users only, not every local user");
        });
    }

    [Test]
    public async Task WorkflowsRun_JobLimitReached_WaitingJobSaysItWaitsForASlotUntilItStarts()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = GradientNodeProcess.Prepare();
        await _node.StartAsync(["--workflow-job-limit", "1"]);
        var file = Path.Combine(_node.Root, "two.yaml");
        await File.WriteAllTextAsync(file, """
            jobs:
              first:
                uses: script@v1
                with: {image: gradient-test/bash:1, script: "sleep 6"}
              second:
                uses: script@v1
                with: {image: gradient-test/bash:1, script: "true"}
            """);
        const string slotWait = "waits for a job slot: the node runs at most 1 workflow job(s) at once, all runs together (--workflow-job-limit)";

        var started = await _node.CliAsync("workflows", "run", "-f", file);
        Assert.That(started.ExitCode, Is.Zero, started.ToString());
        CliResult? runs = null;
        // workflows runs cuts its MESSAGE to 100 columns (the whole of it is in workflows get).
        const string slotWaitShown = "second: waits for a job slot: the node runs at most 1 workflow job(s) at once";
        await TestTimeouts.WaitUntilAsync(async () => (runs = await _node.CliAsync("workflows", "runs", "two")).Stdout.Contains(slotWaitShown, StringComparison.Ordinal), TestTimeouts.Container, () => "the waiting job's reason in workflows runs: " + runs);
        var waiting = await _node.CliAsync("workflows", "get", "two", "1");
        await TestTimeouts.WaitUntilAsync(async () => (await _node.CliAsync("workflows", "get", "two", "1")).Stdout.Contains("Phase:     SUCCEEDED", StringComparison.Ordinal), TestTimeouts.Container, () => "the run to succeed");
        var json = await _node.CliAsync("workflows", "get", "two", "1", "-o", "json");

        Assert.Multiple(() =>
        {
            Assert.That(runs!.Stdout, Does.Contain(slotWaitShown).And.Contain("…"), "a run with no message shows why its job waits, cut to the column");
            Assert.That(waiting.Stdout, Does.Match(@"\n  second +PENDING .*waits for a job slot").And.Contain(slotWait), waiting.ToString());
            Assert.That(json.Stdout, Does.Not.Contain("waits for a job slot"), "the job's start cleared it");
        });
    }

    [Test]
    public async Task WorkflowsRun_FailingJobOrInvalidFileOrInputs_ExitsOneWithTheReason()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        var failing = Path.Combine(_node.Root, "failing.yaml");
        await File.WriteAllTextAsync(failing, """
            jobs:
              bad:
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, "exit 7"]
              after:
                needs: [bad]
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, "true"]
            """);
        var invalid = Path.Combine(_node.Root, "invalid.yaml");
        await File.WriteAllTextAsync(invalid, "jobs:\n  a:\n    uses: nope@v1\n");

        var badInputs = Path.Combine(_node.Root, "my-inputs.yaml");
        await File.WriteAllTextAsync(badInputs, "inputs:\n  nosuch:\n    value: x\n");

        var failed = await _node.CliAsync("workflows", "run", "-f", failing, "--wait");
        var skippedLog = await _node.CliAsync("workflows", "logs", "failing", "1", "--job", "after");
        var refused = await _node.CliAsync("workflows", "run", "-f", invalid);
        var inputsRefused = await _node.CliAsync("workflows", "run", "-f", failing, "--inputs", badInputs);
        var noName = await _node.CliAsync("workflows", "run", "-f", failing, "--name", "");
        var pathName = await _node.CliAsync("workflows", "run", "-f", failing, "--name", "../x");

        Assert.Multiple(() =>
        {
            Assert.That(failed.ExitCode, Is.EqualTo(1), failed.ToString());
            Assert.That(failed.Stdout, Does.Contain("bad: FAILED: exited with code 7").And.Contain("after: SKIPPED: it needs bad, which ended FAILED").And.Contain("run 1: FAILED: job bad ended FAILED: exited with code 7"));
            Assert.That(skippedLog.ExitCode, Is.Zero, skippedLog.ToString());
            Assert.That(skippedLog.Stderr, Does.Contain("job after has no log: it never started (SKIPPED: it needs bad, which ended FAILED)"), skippedLog.ToString());
            Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
            Assert.That(refused.Stderr, Does.Contain("invalid.yaml:3:").And.Contain("nope@v1"));
            Assert.That(inputsRefused.ExitCode, Is.EqualTo(1), inputsRefused.ToString());
            Assert.That(inputsRefused.Stderr, Does.Contain("my-inputs.yaml:2:3: inputs.nosuch: the workflow has no input 'nosuch'"), "the inputs file is named as the user named it");
            Assert.That(noName.ExitCode, Is.Not.Zero, noName.ToString());
            Assert.That(noName.Stderr, Does.Contain("option --name is empty"), "an empty --name is a usage error naming the option, not a bare 'error: '");
            Assert.That(pathName.Stderr, Does.Contain("'../x' is not a valid name"), "the name as typed, not as escaped for the URL");
        });
    }
}
