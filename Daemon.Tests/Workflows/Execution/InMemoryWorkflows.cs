using GradientNode.Core.Datasets;
using GradientNode.Core.Gpus;
using GradientNode.Core.Integrations;
using GradientNode.Core.Workflows;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Daemon.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>
/// A <see cref="WorkflowService"/> on an in-memory engine, the real run and dataset stores under a temp folder and a fake
/// clock, as the runner's unit tests build it (4 job slots, 1 s stop grace, 100 ms polls, no registries).
/// </summary>
internal static class InMemoryWorkflows
{
    /// <summary>The GPU assigner of a box without GPUs.</summary>
    public static GpuAssigner NoGpus(GpuJobEngine engine, TimeProvider clock, string node) =>
        new(engine, new GpuInventory(new NoGpuSmi(), clock, NullLogger<GpuInventory>.Instance), MachineTypeTable.BuiltIn, node, NullLogger<GpuAssigner>.Instance, hostCpus: 4);

    /// <param name="jobMemory">The node's memory limit of CPU jobs (<c>--workflow-job-memory</c>), 0 for none.</param>
    /// <param name="fetchers">The node actions' fetchers (git-checkout, s3-download), or null for none.</param>
    /// <param name="wrap">Wraps the workflow datasets (a test that holds a step back), or null for them as they are.</param>
    public static WorkflowService Create(string state, TimeProvider clock, GpuJobEngine engine, GpuAssigner gpus, WorkflowRunStore runs, DatasetStore datasets, JobSecrets secrets, string node, int runsKept = RunRetention.DefaultKept, Func<IWorkflowDatasets, IWorkflowDatasets>? wrap = null, long jobMemory = 0, IReadOnlyList<IIntegrationFetcher>? fetchers = null)
    {
        IWorkflowDatasets workflowDatasets = new DatasetStoreWorkflowDatasets(datasets);
        workflowDatasets = wrap?.Invoke(workflowDatasets) ?? workflowDatasets;
        var mounts = new JobMounts(runs, workflowDatasets);
        var options = new WorkflowOptions { NodeName = node, StopGrace = TimeSpan.FromSeconds(1), PollInterval = TimeSpan.FromMilliseconds(100), JobMemoryBytes = jobMemory };
        var executor = new ContainerJobExecutor(engine, new JobImages(engine, null), gpus, options, clock);
        var jobs = new JobRunner(executor, new DaemonActions(fetchers ?? [], new VersionedStore(Path.Combine(state, "models")), clock), mounts, workflowDatasets, secrets, clock);
        return new WorkflowService(runs, jobs, mounts, new JobSlots(4), clock, NullLoggerFactory.Instance, runsKept);
    }
}
