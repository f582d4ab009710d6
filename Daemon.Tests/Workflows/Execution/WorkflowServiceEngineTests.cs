// Over 300 lines: one fixture for the runner's behaviours on the real engine, sharing one setup and teardown by node label.
using GradientNode.Core.Datasets;
using GradientNode.Core.Engine;
using GradientNode.Core.Integrations;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Core.Workflows.Specs;
using GradientNode.Daemon.Hosting;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>
/// Runs on the real dockerd with the busybox test image: outputs reach later jobs, a failure skips dependants,
/// a timeout and a cancel stop containers, a restarted service adopts a running job (or re-runs a node action it cut,
/// in the .Restart part). Datasets: the daemon's folder-backed adapter over a temp state dir.
/// </summary>
[TestFixture]
[Category("Engine")]
internal sealed partial class WorkflowServiceEngineTests
{
    private const string Image = "gradient-test/web:1";
    private string _state = string.Empty;
    private string _node = string.Empty;
    private DatasetStore _datasets = null!;

    [SetUp]
    public void SetUp()
    {
        _state = Directory.CreateTempSubdirectory("gn-wfrun-").FullName;
        _node = $"wfrun-test-{Guid.NewGuid():N}"[..24];
        _datasets = new DatasetStore(Path.Combine(_state, "datasets"), TimeProvider.System);
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_state.Length == 0)
        {
            return; // SetUp never ran: nothing of this test to clean up
        }

        // First: without an engine the next line ignores the test, and the folder would stay in /tmp.
        Directory.Delete(_state, recursive: true);
        _state = string.Empty;
        using var engine = await TestEnvironment.RequireEngineAsync();
        foreach (var container in await engine.ListContainersAsync([$"{ContainerLabels.Node}={_node}"], CancellationToken.None))
        {
            await engine.RemoveContainerAsync(container.Id, force: true, CancellationToken.None);
        }
    }

    [Test]
    public async Task Run_SeedShapedTwoJobs_DatasetAndStringOutputsReachJob2_VersionCommitted()
    {
        _datasets.Create("test-one", null);
        var seed = _datasets.BeginWrite("test-one", null);
        await File.WriteAllTextAsync(Path.Combine(seed.ContentPath, "a.txt"), "A");
        var testOne = await _datasets.CommitAsync(seed, CancellationToken.None);
        using var engine = await TestEnvironment.RequireEngineAsync();
        var service = await StartServiceAsync(engine);

        var status = await RunAsync(service, "seed", """
            defaults:
              env:
                HELLO: hi
            inputs:
              data:
                type: dataset
                with:
                  ref: test-one
              echo:
                type: string
                with:
                  value: hello world
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
                  tools:
                    type: volume
                env:
                  TSTVAR: test
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, "find /inputs/data > /outputs/data2/list.txt; echo ENV $HELLO $TSTVAR > /outputs/echo2; cat /inputs/echo; cp /bin/busybox /outputs/tools/sh && chmod 4755 /outputs/tools/sh && mknod /outputs/tools/disk b 8 0"]
              job-2:
                needs: [job-1]
                inputs:
                  data2: job-1.outputs.data2
                  echo2: job-1.outputs.echo2
                  tools: job-1.outputs.tools
                outputs:
                  final:
                    type: string
                  modes:
                    type: string
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  command: [sh, -c]
                  args: ["cat /inputs/echo2 /inputs/data2/list.txt > /outputs/final; cd /inputs/tools && stat -c '%n %a' * > /outputs/modes"]
            """);
        await service.StopAsync(CancellationToken.None);
        var testTwo = _datasets.Resolve("test-two");

        Assert.Multiple(() =>
        {
            Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Succeeded), status.Message);
            Assert.That(status.Inputs["data"].Dataset, Is.EqualTo(new DatasetValue(testOne.Id)));
            Assert.That(status.Jobs["job-1"].Outputs["echo2"].Value, Is.EqualTo("ENV hi test\n"));
            Assert.That(status.Jobs["job-1"].Outputs["data2"].Dataset, Is.EqualTo(new DatasetValue(testTwo.Id, true)));
            Assert.That(status.Outputs["job-1.data2"].Dataset!.Id, Is.EqualTo(testTwo.Id));
            Assert.That(_datasets.Versions("test-two"), Has.Count.EqualTo(1), "one version committed");
            Assert.That(status.Jobs["job-2"].Outputs["final"].Value, Is.EqualTo("ENV hi test\n/inputs/data\n/inputs/data/a.txt\n"));
            Assert.That(File.ReadAllText(Path.Combine(_datasets.ContentPathOf(testTwo.Dataset, testTwo.Version), "list.txt")), Is.EqualTo("/inputs/data\n/inputs/data/a.txt\n"));
            Assert.That(File.ReadAllText(Path.Combine(service.Store.JobDir("seed", 1, "job-1"), "log.txt")), Is.EqualTo("hello world\n"), "the job's log is kept");
            // A volume reaches job-2 as a read-only bind without nosuid/nodev: job-1's setuid-root busybox and device node do not.
            Assert.That(status.Jobs["job-2"].Outputs["modes"].Value, Is.EqualTo("sh 755\n"));
        });
    }

    [Test]
    public async Task Run_JobExitsNonZero_RunFailed_DependantSkipped_IndependentRunningJobFinishes()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        var service = await StartServiceAsync(engine);

        var status = await RunAsync(service, "fails", $$"""
            jobs:
              bad:
                uses: container@v1
                with: {image: {{Image}}, args: [sh, -c, "exit 3"]}
              slow:
                uses: container@v1
                with: {image: {{Image}}, args: [sh, -c, "sleep 2"]}
              after:
                needs: [bad]
                uses: container@v1
                with: {image: {{Image}}, args: [sh, -c, "true"]}
            """);
        await service.StopAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Failed));
            Assert.That(status.Message, Is.EqualTo("job bad ended FAILED: exited with code 3"));
            Assert.That(status.Jobs["bad"].ExitCode, Is.EqualTo(3));
            Assert.That(status.Jobs["after"].Phase, Is.EqualTo(WorkflowPhase.Skipped));
            Assert.That(status.Jobs["after"].Message, Is.EqualTo("it needs bad, which ended FAILED"));
            Assert.That(status.Jobs["slow"].Phase, Is.EqualTo(WorkflowPhase.Succeeded), "a running job finishes");
        });
    }

    [Test]
    public async Task Run_JobPastItsTimeout_StoppedAndFailedSayingSo_NothingCommitted()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        var service = await StartServiceAsync(engine);

        var status = await RunAsync(service, "slow", $$"""
            jobs:
              sleeper:
                timeout: 1
                outputs:
                  out: {type: dataset, with: {ref: never} }
                uses: container@v1
                with: {image: {{Image}}, args: [sh, -c, "echo x > /outputs/out/x; sleep 60"]}
            """);
        await service.StopAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(status.Jobs["sleeper"].Phase, Is.EqualTo(WorkflowPhase.Failed));
            Assert.That(status.Jobs["sleeper"].Message, Is.EqualTo("timed out: the job ran longer than its timeout of 1 s and was stopped; its output out was not kept (nothing of what it wrote was committed: a job's outputs are kept only when it succeeds)"));
            Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Failed));
            Assert.That(Committed("never"), Is.Empty, "a failed job's dataset output is not committed");
        });
    }

    [Test]
    public async Task Cancel_RunningJob_StoppedRunCanceled_PendingCanceled_NothingCommitted()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        var service = await StartServiceAsync(engine);
        var record = await StartRunAsync(service, "cancel", $$"""
            jobs:
              long:
                outputs:
                  out: {type: dataset, with: {ref: canceled-data} }
                uses: container@v1
                with: {image: {{Image}}, args: [sh, -c, "echo x > /outputs/out/x; sleep 60"]}
              next:
                needs: [long]
                uses: container@v1
                with: {image: {{Image}}, args: [sh, -c, "true"]}
            """);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(service.Get("cancel", record.Status.Run)!.Status.Jobs["long"].Phase == WorkflowPhase.Running), TestTimeouts.Container, "the job to run");

        service.Cancel("cancel", record.Status.Run);
        var canceling = service.Get("cancel", record.Status.Run)!.Status;
        var status = await WaitFinishedAsync(service, "cancel", record.Status.Run);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(service.Store.Get("cancel", record.Status.Run)!.Status.Message!.Contains("removed dataset", StringComparison.Ordinal)), TestTimeouts.Short, "the run to say the dataset its canceled job's output created was removed");
        var saved = service.Store.Get("cancel", record.Status.Run)!.Status;
        await service.StopAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(canceling.Phase, Is.EqualTo(WorkflowPhase.Running), "the job ignores SIGTERM (sh as PID 1): it runs until the grace period ends");
            // Asked, or already sent (the job's loop may reach the engine before this read).
            Assert.That(canceling.Message, Is.EqualTo(WorkflowRunner.Canceling).Or.EqualTo(WorkflowRunner.CancelSent), "before, a canceled run said nothing until it ended");
            Assert.That(canceling.Jobs["long"].Message, Is.EqualTo(WorkflowRunner.Canceling).Or.EqualTo(ContainerJobExecutor.CancelSent));
            Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Canceled));
            Assert.That(status.Message, Does.StartWith("canceled"));
            Assert.That(saved.Message, Is.EqualTo("canceled; removed dataset 'canceled-data': this run created it for a dataset output and no job committed a version to it"), "the dataset the run created is empty: removed");
            Assert.That(status.Jobs["long"].Phase, Is.EqualTo(WorkflowPhase.Canceled));
            Assert.That(status.Jobs["long"].Message, Is.EqualTo("canceled: killed with SIGKILL after the 1 s grace period (it did not stop on SIGTERM); its output out was not kept (nothing of what it wrote was committed: a job's outputs are kept only when it succeeds)"), "before: 'stopped with SIGTERM (SIGKILL after the grace period)' beside exit code 137; before workflows17, nothing said its output was dropped");
            Assert.That(status.Jobs["long"].ExitCode, Is.EqualTo(137));
            Assert.That(status.Jobs["next"].Phase, Is.EqualTo(WorkflowPhase.Canceled));
            Assert.That(Committed("canceled-data"), Is.Empty, "nothing of a canceled job is committed");
            Assert.That(_datasets.List().Select(d => d.Name), Does.Not.Contain("canceled-data"));
        });
        Assert.That(await engine.ListContainersAsync([$"{ContainerLabels.Node}={_node}"], CancellationToken.None), Is.Empty, "the stopped container was removed");
    }

    [Test]
    public async Task Cancel_JobThatExitsOnSigterm_SaysItStoppedOnSigterm()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        var service = await StartServiceAsync(engine);
        var record = await StartRunAsync(service, "polite", $$"""
            jobs:
              long:
                uses: container@v1
                with: {image: {{Image}}, args: [sh, -c, "trap 'exit 143' TERM; sleep 600 & wait"]}
            """);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(service.Get("polite", record.Status.Run)!.Status.Jobs["long"].Phase == WorkflowPhase.Running), TestTimeouts.Container, "the job to run");

        service.Cancel("polite", record.Status.Run);
        var status = await WaitFinishedAsync(service, "polite", record.Status.Run);
        await service.StopAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(status.Jobs["long"].Phase, Is.EqualTo(WorkflowPhase.Canceled));
            Assert.That(status.Jobs["long"].Message, Is.EqualTo("canceled: stopped on SIGTERM"));
            Assert.That(status.Jobs["long"].ExitCode, Is.EqualTo(143));
        });
    }

    [Test]
    public async Task Restart_DaemonStopsMidJob_NewServiceAdoptsTheContainer_RunSucceeds()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        var first = await StartServiceAsync(engine);
        var record = await StartRunAsync(first, "adopt", $$"""
            jobs:
              work:
                outputs:
                  out: {type: string}
                uses: container@v1
                with: {image: {{Image}}, args: [sh, -c, "sleep 3; echo done > /outputs/out"]}
              then:
                needs: [work]
                inputs:
                  got: work.outputs.out
                outputs:
                  copy: {type: string}
                uses: container@v1
                with: {image: {{Image}}, args: [sh, -c, "cat /inputs/got > /outputs/copy"]}
            """);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(first.Get("adopt", 1)!.Status.Jobs["work"].Phase == WorkflowPhase.Running), TestTimeouts.Container, "the job to run");

        await first.StopAsync(CancellationToken.None);
        Assert.That(await engine.ListContainersAsync([$"{ContainerLabels.Node}={_node}", $"{ContainerLabels.Job}=work"], CancellationToken.None), Has.Count.EqualTo(1), "stopping the daemon leaves the job's container");
        var second = await StartServiceAsync(engine);
        var status = await WaitFinishedAsync(second, "adopt", record.Status.Run);
        await second.StopAsync(CancellationToken.None);

        Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Succeeded), status.Message);
        Assert.That(status.Jobs["then"].Outputs["copy"].Value, Is.EqualTo("done\n"));
    }

    [Test]
    public async Task Restart_ContainerVanishedWhileDown_JobFailedWithThatReason()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        var first = await StartServiceAsync(engine);
        await StartRunAsync(first, "vanish", $$"""
            jobs:
              work:
                uses: container@v1
                with: {image: {{Image}}, args: [sh, -c, "sleep 60"]}
            """);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(first.Get("vanish", 1)!.Status.Jobs["work"].Phase == WorkflowPhase.Running), TestTimeouts.Container, "the job to run");
        await first.StopAsync(CancellationToken.None);
        foreach (var container in await engine.ListContainersAsync([$"{ContainerLabels.Node}={_node}"], CancellationToken.None))
        {
            await engine.RemoveContainerAsync(container.Id, force: true, CancellationToken.None);
        }

        var second = await StartServiceAsync(engine);
        var status = await WaitFinishedAsync(second, "vanish", 1);
        await second.StopAsync(CancellationToken.None);

        Assert.That(status.Jobs["work"].Phase, Is.EqualTo(WorkflowPhase.Failed));
        Assert.That(status.Jobs["work"].Message, Is.EqualTo("its container vanished while the node was restarting; the job's result is unknown and nothing of it was committed (run the workflow again: gradient-node workflows run -f FILE --name vanish)"));
    }

    [Test]
    public async Task Run_ScriptOnImageWithoutBash_ErrorSaysTheImageNeedsBash()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        var service = await StartServiceAsync(engine);

        var status = await RunAsync(service, "script", $$"""
            jobs:
              s:
                uses: script@v1
                with:
                  image: {{Image}}
                  script: echo hi
            """);
        await service.StopAsync(CancellationToken.None);

        Assert.That(status.Jobs["s"].Phase, Is.EqualTo(WorkflowPhase.Error));
        Assert.That(status.Jobs["s"].Message, Does.StartWith($"jobs.s: script@v1 runs its script with bash, and image '{Image}' has no bash in its PATH"));
    }

    [Test]
    public async Task Run_SecretInEnv_ResolvedInTheContainer_NotInStatusNorInItsEchoedLog()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        var service = await StartServiceAsync(engine);

        var status = await RunAsync(service, "secret", $$"""
            jobs:
              s:
                env:
                  TOKEN: secret:greeting
                outputs:
                  out: {type: string}
                uses: container@v1
                with: {image: {{Image}}, args: [sh, -c, "echo token is $TOKEN; echo -n $TOKEN | wc -c > /outputs/out"]}
              missing:
                env:
                  TOKEN: secret:nope
                uses: container@v1
                with: {image: {{Image}}, args: [sh, -c, "true"]}
            """);
        await service.StopAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(status.Jobs["s"].Outputs["out"].Value!.Trim(), Is.EqualTo("12"), "hello-secret is 12 bytes");
            Assert.That(status.Jobs["missing"].Phase, Is.EqualTo(WorkflowPhase.Error));
            Assert.That(status.Jobs["missing"].Message, Is.EqualTo("jobs.missing.env.TOKEN: secret 'nope' does not exist on this node (add it: gradient-node secrets set nope)"));
            Assert.That(File.ReadAllText(Path.Combine(_state, "workflows", "secret", "1", "run.json")), Does.Not.Contain("hello-secret"));
            Assert.That(File.ReadAllText(Path.Combine(_state, "workflows", "secret", "1", "jobs", "s", "log.txt")), Is.EqualTo("token is ***\n"), "the kept log masks what the job echoed");
        });
    }

    [Test]
    public async Task Run_JobPrintsASecretAnotherJobHandedIt_ItsKeptLogMasksIt()
    {
        // Before, a job's kept log hid only its own references' values: b, naming no secret, kept a's token in the clear.
        using var engine = await TestEnvironment.RequireEngineAsync();
        var service = await StartServiceAsync(engine);

        await RunAsync(service, "handed", $$"""
            jobs:
              a:
                env: {TOKEN: secret:greeting}
                outputs:
                  s: {type: string}
                uses: container@v1
                with: {image: {{Image}}, args: [sh, -c, "printf %s \"$TOKEN\" > /outputs/s"]}
              b:
                needs: [a]
                inputs: {s: a.outputs.s}
                uses: container@v1
                with: {image: {{Image}}, args: [sh, -c, "echo got $(cat /inputs/s)"]}
            """);
        await service.StopAsync(CancellationToken.None);

        Assert.That(File.ReadAllText(Path.Combine(_state, "workflows", "handed", "1", "jobs", "b", "log.txt")), Is.EqualTo("got ***\n"));
    }

    private IReadOnlyList<DatasetVersion> Committed(string name)
    {
        try
        {
            return _datasets.Versions(name);
        }
        catch (DatasetException)
        {
            return [];
        }
    }

    private async Task<WorkflowService> StartServiceAsync(IContainerEngine engine, IReadOnlyList<IIntegrationFetcher>? fetchers = null, long jobMemory = 0, Microsoft.Extensions.Logging.ILoggerFactory? loggers = null)
    {
        var store = new WorkflowRunStore(_state);
        var datasets = new DatasetStoreWorkflowDatasets(_datasets);
        var mounts = new JobMounts(store, datasets);
        var options = new WorkflowOptions { NodeName = _node, StopGrace = TimeSpan.FromSeconds(1), PollInterval = TimeSpan.FromMilliseconds(100), JobMemoryBytes = jobMemory };
        var executor = new ContainerJobExecutor(engine, new JobImages(engine, null), null, options, TimeProvider.System);
        var jobs = new JobRunner(executor, new DaemonActions(fetchers ?? [], new VersionedStore(Path.Combine(_state, "models")), TimeProvider.System), mounts, datasets, new JobSecrets(n => n switch { "greeting" => "hello-secret", "nul" => NulSecret, _ => null }), TimeProvider.System);
        var service = new WorkflowService(store, jobs, mounts, new JobSlots(4), TimeProvider.System, loggers ?? NullLoggerFactory.Instance);
        await service.StartAsync(CancellationToken.None);
        return service;
    }

    private static Task<RunRecord> StartRunAsync(WorkflowService service, string name, string yaml) =>
        service.StartRunAsync(Plan(name, yaml), yaml, null);

    private static RunPlan Plan(string name, string yaml)
    {
        var parsed = WorkflowParser.Parse($"{name}.yaml", yaml);
        Assert.That(parsed.Errors.Select(e => e.ToString()), Is.Empty);
        var (plan, errors) = RunPlanBuilder.Build(name, parsed.Spec!, WorkflowInputsParser.Parse(parsed.Spec!, ($"{name}.yaml", yaml), null, null).Values!);
        Assert.That(errors, Is.Empty);
        return plan!;
    }

    private static async Task<WorkflowRunStatus> RunAsync(WorkflowService service, string name, string yaml)
    {
        var record = await StartRunAsync(service, name, yaml);
        return await WaitFinishedAsync(service, name, record.Status.Run);
    }

    private static async Task<WorkflowRunStatus> WaitFinishedAsync(WorkflowService service, string name, int run)
    {
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(service.Get(name, run)?.Status.Phase.IsFinished() == true), TestTimeouts.Rollout, $"run {name}/{run} to end");
        return service.Get(name, run)!.Status;
    }
}
