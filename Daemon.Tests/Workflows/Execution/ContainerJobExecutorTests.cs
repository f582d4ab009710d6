using GradientNode.Core.Datasets;
using GradientNode.Core.Engine;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Core.Workflows.Specs;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

[TestFixture]
[Category("Unit")]
internal sealed class ContainerJobExecutorTests
{
    [Test]
    public void ContainerName_SameWorkflowRunAndJobTwice_NamesDifferAndKeepTheReadablePrefix()
    {
        // Before: gn-wf-clash-1-a for both, so a second node on the same engine (another --node-name) could not create
        // its job's container: "Conflict. The container name "/gn-wf-clash-1-a" is already in use".
        var first = ContainerJobExecutor.ContainerName("clash", 1, "a");
        var second = ContainerJobExecutor.ContainerName("clash", 1, "a");

        Assert.Multiple(() =>
        {
            Assert.That(first, Does.Match("^gn-wf-clash-1-a-[0-9a-f]{6}$"));
            Assert.That(second, Does.Match("^gn-wf-clash-1-a-[0-9a-f]{6}$"));
            Assert.That(first, Is.Not.EqualTo(second));
        });
    }

    [TestCase("C3", 4L << 30, 2L << 30, false)]
    [TestCase("C5", 4L << 30, 4L << 30, true)]
    [TestCase("C10", 4L << 30, 4L << 30, true)]
    [TestCase("C5", 0L, 8L << 30, false)]
    public async Task StartAsync_CpuInstanceType_MemoryIsTheLesserOfTheTypesAndTheNodesLimit(string type, long nodeLimit, long expected, bool labelled)
    {
        const string Node = "job-memory-test";
        var state = Directory.CreateTempSubdirectory("gn-jobmem-").FullName;
        var clock = new FakeTimeProvider();
        var engine = new GpuJobEngine();
        using var service = InMemoryWorkflows.Create(state, clock, engine, InMemoryWorkflows.NoGpus(engine, clock, Node), new WorkflowRunStore(state), new DatasetStore(Path.Combine(state, "datasets"), clock), new JobSecrets(_ => null), Node, jobMemory: nodeLimit);
        await service.StartAsync(CancellationToken.None);
        try
        {
            var yaml = $$"""
                jobs:
                  work:
                    resources: {instance-type: {{type}}}
                    uses: container@v1
                    with: {image: gradient-test/web:1, args: [sh, -c, "true"]}
                """;
            var parsed = WorkflowParser.Parse("mem.yaml", yaml);
            var (plan, _) = RunPlanBuilder.Build("mem", parsed.Spec!, WorkflowInputsParser.Parse(parsed.Spec!, ("mem.yaml", yaml), null, null).Values!);
            var run = await service.StartRunAsync(plan!, yaml, null);
            await TestTimeouts.WaitUntilAsync(() => Task.FromResult(!engine.Created.IsEmpty), TestTimeouts.Short, "the job's container");

            var created = engine.Created.Single();
            Assert.Multiple(() =>
            {
                Assert.That(created.MemoryBytes, Is.EqualTo(expected));
                Assert.That(created.Labels.ContainsKey(ContainerLabels.JobMemory), Is.EqualTo(labelled), "the label says the node's limit holds the job");
            });
            service.Cancel("mem", run.Status.Run);
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
            Directory.Delete(state, recursive: true);
        }
    }

    [Test]
    public async Task WaitAsync_EngineUnreachableForAFewLooks_WaitsForItAndEndsAsTheContainerDid()
    {
        // dockerd restarting (live-restore keeps the job's container running). Before, the first failed look threw, the
        // job and its run ended ERROR "Docker engine … is unreachable", and the container ran on, unwatched.
        var engine = new GpuJobEngine { UnreachableInspections = 3 };
        engine.Containers["job"] = new ContainerDetails("job", "gn-wf-w-1-a-000000", "img", new Dictionary<string, string>(), new ContainerState("exited", false, false, false, 0, null, null, null), null, DateTimeOffset.UnixEpoch, 0);
        var executor = new ContainerJobExecutor(engine, new JobImages(engine, null), null, new WorkflowOptions { PollInterval = TimeSpan.FromMilliseconds(10) }, TimeProvider.System);
        var log = Path.Combine(Directory.CreateTempSubdirectory("gn-jobwait-").FullName, "log");
        try
        {
            var outcome = await executor.WaitAsync("job", null, log, GradientNode.Core.Secrets.LogMask.None, CancellationToken.None, CancellationToken.None);

            Assert.Multiple(() =>
            {
                Assert.That(outcome.Phase, Is.EqualTo(WorkflowPhase.Succeeded));
                Assert.That(engine.Inspections, Is.EqualTo(4), "three failed looks, then the one that saw it exit");
                Assert.That(engine.Containers.ContainsKey("job"), Is.False, "removed once it ended, as any job's");
            });
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(log)!, recursive: true);
        }
    }

    [Test]
    public async Task WaitAsync_KeptLogCannotBeWritten_EndsAsTheContainerDidAndRemovesIt()
    {
        // A full state directory: the kept log's write fails. Before, the job ended ERROR "No space left on device: …/log.txt"
        // and its exited container was never removed (seen on a full tmpfs with the published binary).
        var engine = new GpuJobEngine();
        engine.Containers["job"] = new ContainerDetails("job", "gn-wf-w-1-a-000000", "img", new Dictionary<string, string>(), new ContainerState("exited", false, false, false, 0, null, null, null), null, DateTimeOffset.UnixEpoch, 0);
        var executor = new ContainerJobExecutor(engine, new JobImages(engine, null), null, new WorkflowOptions(), TimeProvider.System);
        var log = Path.Combine(Path.GetTempPath(), $"gn-nowhere-{Guid.NewGuid():N}", "log.txt"); // its folder does not exist: the open fails with an IOException

        var outcome = await executor.WaitAsync("job", null, log, GradientNode.Core.Secrets.LogMask.None, CancellationToken.None, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Phase, Is.EqualTo(WorkflowPhase.Succeeded));
            Assert.That(engine.Containers, Is.Empty, "removed although its log could not be kept");
            // Before, nothing said so: `workflows logs` printed nothing and `workflows get` showed a plain SUCCEEDED.
            Assert.That(outcome.Message, Is.EqualTo($"its log could not be kept: Could not find a part of the path '{log}'"));
        });
    }

    [Test]
    public void WithLogLost_FailedJobOnAFullDisk_KeepsItsReasonAndAddsTheLostLog()
    {
        var failed = new JobOutcome(WorkflowPhase.Failed, "exited with code 3", 3);

        Assert.Multiple(() =>
        {
            Assert.That(ContainerJobExecutor.WithLogLost(failed, "No space left on device (in /s/workflows/w/1/jobs/a): the disk of the node's state directory is full").Message,
                Is.EqualTo("exited with code 3; its log could not be kept: No space left on device (in /s/workflows/w/1/jobs/a): the disk of the node's state directory is full"));
            Assert.That(ContainerJobExecutor.WithLogLost(failed, null), Is.SameAs(failed));
        });
    }

    [Test]
    public void OomMessage_ContainerWithTheNodesLimit_NamesTheLimitAndTheSetting()
    {
        var labels = new Dictionary<string, string> { [ContainerLabels.JobMemory] = (1536L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture) };

        Assert.Multiple(() =>
        {
            Assert.That(JobMemoryLimit.OomMessage(labels, 137), Is.EqualTo("killed: out of memory at the node's 1.5 GiB memory limit for CPU jobs (--workflow-job-memory, node.yaml workflowJobMemory; raise it, or set none for the instance type's own memory) (exit code 137)"));
            Assert.That(JobMemoryLimit.OomMessage(new Dictionary<string, string>(), 137), Is.Null, "a type's own limit is not the node's");
        });
    }

    [Test]
    public async Task StartAsync_SecretsTakeTheEnvironmentOverArgMax_JobErrorNamingTheTotalAndNoContainerMade()
    {
        // A secret set again after submit (or a run submitted before workflows17) can take a job's env over Linux's 2 MiB:
        // before, the container was made and the job ended FAILED "exec /bin/bash: argument list too long".
        const string Node = "job-argmax-test";
        var state = Directory.CreateTempSubdirectory("gn-jobargmax-").FullName;
        var clock = new FakeTimeProvider();
        var engine = new GpuJobEngine();
        var secret = new string('s', 8000);
        using var service = InMemoryWorkflows.Create(state, clock, engine, InMemoryWorkflows.NoGpus(engine, clock, Node), new WorkflowRunStore(state), new DatasetStore(Path.Combine(state, "datasets"), clock), new JobSecrets(n => n == "cert" ? secret : null), Node);
        await service.StartAsync(CancellationToken.None);
        try
        {
            var yaml = "jobs:\n  big:\n    uses: script@v1\n    env:\n"
                + string.Concat(Enumerable.Range(0, 270).Select(i => $"      K{i:000}: secret:cert\n"))
                + "    with:\n      image: gradient-test/bash:1\n      script: env\n";
            var parsed = WorkflowParser.Parse("big.yaml", yaml);
            var (plan, _) = RunPlanBuilder.Build("big", parsed.Spec!, WorkflowInputsParser.Parse(parsed.Spec!, ("big.yaml", yaml), null, null).Values!);
            var run = await service.StartRunAsync(plan!, yaml, null);
            await TestTimeouts.WaitUntilAsync(() => Task.FromResult(service.Get("big", run.Status.Run)!.Status.Phase.IsFinished()), TestTimeouts.Short, "the run's end");

            var job = service.Get("big", run.Status.Run)!.Status.Jobs["big"];
            Assert.Multiple(() =>
            {
                Assert.That(job.Phase, Is.EqualTo(WorkflowPhase.Error), job.Message);
                Assert.That(job.Message, Does.StartWith("jobs.big: its environment and arguments come to 2167918 bytes"));
                Assert.That(job.Message, Does.Contain("env.K000 (secret 'cert') 8014"));
                Assert.That(job.Message, Does.Not.Contain("sss"));
                Assert.That(engine.Created, Is.Empty, "refused before a container was made");
            });
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
            Directory.Delete(state, recursive: true);
        }
    }

    [Test]
    public async Task StartAsync_ScriptLongerThanAnArgumentMayBe_RunsItFromAReadOnlyFileNotAsAnArgument()
    {
        // Linux refuses one argument over 128 KiB (MAX_ARG_STRLEN). Before, script@v1 ran bash -c SCRIPT, so a 200 KiB
        // script (a long generated one) ended FAILED with "exec /bin/bash: argument list too long"; Argo, which runs
        // Gradient's workflows, runs a script from a file.
        const string Node = "job-script-test";
        var state = Directory.CreateTempSubdirectory("gn-jobscript-").FullName;
        var clock = new FakeTimeProvider();
        var engine = new GpuJobEngine();
        using var service = InMemoryWorkflows.Create(state, clock, engine, InMemoryWorkflows.NoGpus(engine, clock, Node), new WorkflowRunStore(state), new DatasetStore(Path.Combine(state, "datasets"), clock), new JobSecrets(_ => null), Node);
        await service.StartAsync(CancellationToken.None);
        try
        {
            var script = "#!/bin/bash\n" + string.Concat(Enumerable.Range(0, 8000).Select(i => $"echo line {i} ✓\n"));
            var yaml = "jobs:\n  long:\n    uses: script@v1\n    with:\n      image: gradient-test/bash:1\n      script: |\n"
                + string.Concat(script.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => $"        {line}\n"));
            var parsed = WorkflowParser.Parse("long.yaml", yaml);
            var (plan, _) = RunPlanBuilder.Build("long", parsed.Spec!, WorkflowInputsParser.Parse(parsed.Spec!, ("long.yaml", yaml), null, null).Values!);
            var run = await service.StartRunAsync(plan!, yaml, null);
            await TestTimeouts.WaitUntilAsync(() => Task.FromResult(!engine.Created.IsEmpty), TestTimeouts.Short, "the job's container");

            var created = engine.Created.Single();
            var arguments = (created.Entrypoint ?? []).Concat(created.Cmd ?? []).ToList();
            var bind = created.Binds.SingleOrDefault(b => b.Target == JobScriptFile.ScriptPath);
            Assert.Multiple(() =>
            {
                Assert.That(script.Length, Is.GreaterThan(128 * 1024), "the test's script is longer than one argument may be");
                Assert.That(arguments, Is.EqualTo(new[] { "bash", JobScriptFile.ScriptPath }));
                Assert.That(bind, Is.Not.Null, "the script is mounted");
                Assert.That(bind!.ReadOnly, Is.True);
                Assert.That(File.ReadAllText(bind.Source), Is.EqualTo(script));
                Assert.That(File.GetUnixFileMode(bind.Source), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead), "an image's own user (USER 1000) reads it");
            });
            service.Cancel("long", run.Status.Run);
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
            Directory.Delete(state, recursive: true);
        }
    }

    [Test]
    public void OwnOomMessage_ContainerAtItsInstanceTypesLimit_NamesTheLimit()
    {
        Assert.Multiple(() =>
        {
            Assert.That(JobMemoryLimit.OwnOomMessage(8L << 30, 137), Is.EqualTo("killed: out of memory at its limit of 8 GiB, the memory of its instance type (exit code 137)"));
            Assert.That(JobMemoryLimit.OwnOomMessage(0, 137), Is.EqualTo("killed: out of memory (exit code 137)"), "no limit known: as before");
        });
    }
}
