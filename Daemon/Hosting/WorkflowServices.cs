using GradientNode.Core.Datasets;
using GradientNode.Core.Engine;
using GradientNode.Core.Gpus;
using GradientNode.Core.Integrations;
using GradientNode.Core.Registries;
using GradientNode.Core.Secrets;
using GradientNode.Core.Workflows;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Daemon.Configuration;

namespace GradientNode.Daemon.Hosting;

/// <summary>The workflow runner's wiring (docs/design/workflows.md): run store, job executor, runner service.</summary>
internal static class WorkflowServices
{
    public static void Add(IServiceCollection services, NodeOptions options)
    {
        var workflowOptions = new WorkflowOptions { JobLimit = options.WorkflowJobLimit, NodeName = options.NodeName, PidsLimit = options.PidsLimit, JobMemoryBytes = options.WorkflowJobMemory, LogRotation = options.Reconciler.LogRotation };
        services.AddSingleton(workflowOptions);
        services.AddSingleton(sp => new WorkflowRunStore(options.StateDir, new Core.Common.StateFileDamage(TimeProvider.System, sp.GetRequiredService<ILogger<WorkflowRunStore>>())));
        services.AddSingleton(new JobSlots(options.WorkflowJobLimit));
        services.AddSingleton<IWorkflowDatasets>(sp => new DatasetStoreWorkflowDatasets(sp.GetRequiredService<DatasetStore>()));
        services.AddSingleton(sp => new JobMounts(sp.GetRequiredService<WorkflowRunStore>(), sp.GetRequiredService<IWorkflowDatasets>()));
        services.AddSingleton(sp => new ContainerJobExecutor(
            sp.GetRequiredService<IContainerEngine>(),
            new JobImages(sp.GetRequiredService<IContainerEngine>(), sp.GetRequiredService<RegistryStore>()),
            sp.GetRequiredService<GpuAssigner>(),
            workflowOptions,
            TimeProvider.System));
        services.AddSingleton(sp => new JobRunner(
            sp.GetRequiredService<ContainerJobExecutor>(),
            new DaemonActions([new GitFetcher(new GitRemotePolicy(options.GitLocalRoots)), new S3Fetcher()], sp.GetRequiredService<VolumeStores>().Models, TimeProvider.System),
            sp.GetRequiredService<JobMounts>(),
            sp.GetRequiredService<IWorkflowDatasets>(),
            new JobSecrets(
                name => sp.GetRequiredService<SecretStore>().TryGet(name, out var value) ? value : null,
                name => sp.GetRequiredService<SecretStore>().DamageOf(name),
                () => sp.GetRequiredService<SecretStore>().List().Select(s => s.Name)),
            TimeProvider.System));
        services.AddSingleton(sp => new WorkflowService(
            sp.GetRequiredService<WorkflowRunStore>(),
            sp.GetRequiredService<JobRunner>(),
            sp.GetRequiredService<JobMounts>(),
            sp.GetRequiredService<JobSlots>(),
            TimeProvider.System,
            sp.GetRequiredService<ILoggerFactory>(),
            options.WorkflowRunsKept));
        services.AddHostedService(sp => sp.GetRequiredService<WorkflowService>());
    }
}
