using System.Net.Sockets;
using GradientNode.Core.Datasets;
using GradientNode.Core.Engine;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Core.Workflows.Specs;
using GradientNode.Core.Integrations;
using GradientNode.Core.Catalog;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Secrets;
using GradientNode.Daemon.Api;
using GradientNode.Daemon.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradientNode.Tests.Api;

/// <summary>
/// What the workflow logs endpoint (<c>WorkflowLogsEndpoint</c>) needs in a test host: the run store under a temp
/// folder, the job runner and the service on an engine fake (not started: no run is executed), ended runs with kept
/// logs written as the runner leaves them, and an HTTP client over the host's unix socket, as the CLI reaches it.
/// </summary>
internal static class WorkflowLogsTestHost
{
    /// <summary>
    /// Registers <see cref="ContainerJobExecutor"/>, <see cref="JobRunner"/> and <see cref="WorkflowService"/>, with the node's
    /// secrets read from <paramref name="secrets"/> (none when null); returns the run store.
    /// </summary>
    public static WorkflowRunStore AddWorkflows(IServiceCollection services, string dir, IContainerEngine engine, Func<string, string?>? secrets = null)
    {
        var store = new WorkflowRunStore(Path.Combine(dir, "state"));
        var datasets = new DatasetStoreWorkflowDatasets(new DatasetStore(Path.Combine(dir, "datasets"), TimeProvider.System));
        var mounts = new JobMounts(store, datasets);
        var executor = new ContainerJobExecutor(engine, new JobImages(engine, null), null, new WorkflowOptions(), TimeProvider.System);
        var runner = new JobRunner(executor, new DaemonActions([], new VersionedStore(Path.Combine(dir, "models")), TimeProvider.System), mounts, datasets, new JobSecrets(secrets ?? (_ => null)), TimeProvider.System);
        services.AddSingleton(executor);
        services.AddSingleton(runner);
        services.AddSingleton(new WorkflowService(store, runner, mounts, new JobSlots(1), TimeProvider.System, NullLoggerFactory.Instance));
        return store;
    }

    /// <summary>A SUCCEEDED run of <paramref name="workflow"/> whose jobs ended with these kept logs (each written as is); its number.</summary>
    public static int EndedRun(WorkflowRunStore store, string workflow, params (string Job, string Log)[] jobs) =>
        Run(store, workflow, WorkflowPhase.Succeeded, [.. jobs.Select(j => (j.Job, (string?)j.Log))]);

    /// <summary>A run of <paramref name="workflow"/> and its jobs in <paramref name="phase"/>, each with this kept log (none when null); its number.</summary>
    public static int Run(WorkflowRunStore store, string workflow, WorkflowPhase phase, params (string Job, string? Log)[] jobs) =>
        Run(store, new RunPlan { Workflow = workflow, Jobs = [.. jobs.Select(j => new JobPlan { Id = j.Job, Action = "container@v1" })] }, phase, jobs);

    /// <summary>A run of <paramref name="plan"/> whose jobs are in <paramref name="phase"/>, each with this kept log (none when null); its number.</summary>
    public static int Run(WorkflowRunStore store, RunPlan plan, WorkflowPhase phase, params (string Job, string? Log)[] jobs)
    {
        var workflow = plan.Workflow;
        var record = store.Create(plan, "jobs: {}", null, DateTimeOffset.UnixEpoch);
        foreach (var (job, log) in jobs)
        {
            var dir = Directory.CreateDirectory(store.JobDir(workflow, record.Status.Run, job)).FullName;
            if (log is not null)
            {
                File.WriteAllText(Path.Combine(dir, "log.txt"), log);
            }
        }

        store.Save(record with
        {
            Status = record.Status with
            {
                Phase = phase,
                Jobs = jobs.ToDictionary(j => j.Job, _ => new JobStatus { Phase = phase }),
            },
        });
        return record.Status.Run;
    }

    /// <summary>
    /// The container of <paramref name="job"/> in run <paramref name="run"/> of <paramref name="workflow"/>, labelled as the
    /// runner labels it: running, or exited with 0.
    /// </summary>
    public static ContainerDetails JobContainer(string workflow, int run, string job, bool running = true) => new(
        $"c-{job}",
        $"gn-wf-{workflow}-{run}-{job}",
        "gradient-test/web:1",
        new Dictionary<string, string> { [ContainerLabels.Workflow] = workflow, [ContainerLabels.Run] = $"{run}", [ContainerLabels.Job] = job },
        running
            ? new ContainerState("running", true, false, false, 0, null, DateTimeOffset.UnixEpoch, null)
            : new ContainerState("exited", false, false, false, 0, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch),
        null,
        DateTimeOffset.UnixEpoch,
        0);

    /// <summary>An HTTP client whose every connection goes to the unix socket <paramref name="socket"/>.</summary>
    public static HttpClient Client(string socket) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, token) =>
        {
            var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), token);
            return new NetworkStream(s, ownsSocket: true);
        },
    }) { BaseAddress = new Uri("http://localhost/"), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// Both log endpoints (a deployment's and a workflow run's) served on <c>&lt;dir&gt;/api.sock</c> over <paramref name="engine"/>,
    /// with a workflow run of <paramref name="jobs"/> ended in <c>train</c>; not started yet.
    /// </summary>
    public static (WebApplication App, string Socket, int Run) BothLogEndpoints(string dir, IContainerEngine engine, params (string Job, string Log)[] jobs)
    {
        var socket = Path.Combine(dir, "api.sock");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socket));
        builder.Services.AddSingleton(engine);
        builder.Services.AddSingleton(new ReconcilerOptions());
        builder.Services.AddSingleton(new SpecDirectoryWatcher(Directory.CreateDirectory(Path.Combine(dir, "specs")).FullName, dir, TimeProvider.System, NullLogger<SpecDirectoryWatcher>.Instance));
        builder.Services.AddSingleton(new SecretSnapshots(new SecretStore(dir), dir));
        builder.Services.AddSingleton(new LogFollowLimit(64));
        builder.Services.AddSingleton(TimeProvider.System);
        var store = AddWorkflows(builder.Services, dir, engine);
        var run = EndedRun(store, "train", jobs);
        var app = builder.Build();
        LogsEndpoints.Map(app);
        WorkflowLogsEndpoint.Map(app);
        return (app, socket, run);
    }
}
