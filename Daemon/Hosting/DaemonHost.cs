using System.Net.Sockets;
using GradientNode.Core.Autoscaling;
using GradientNode.Core.Catalog;
using GradientNode.Core.Common;
using GradientNode.Core.Datasets;
using GradientNode.Core.Engine;
using GradientNode.Core.Gpus;
using GradientNode.Core.Health;
using GradientNode.Core.Integrations;
using GradientNode.Core.Networking;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Registries;
using GradientNode.Core.Routing;
using GradientNode.Core.Secrets;
using GradientNode.Core.Status;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Daemon.Api;
using GradientNode.Daemon.Configuration;
using GradientNode.Daemon.Security;

namespace GradientNode.Daemon.Hosting;

/// <summary>
/// The daemon role: the reconciler, the spec directory watcher, the route table writer, and the API on the
/// unix socket (created 0660).
/// </summary>
internal static class DaemonHost
{
    /// <summary>How long the host waits for its services to stop; the systemd unit's TimeoutStopSec is above it.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(15);

    /// <param name="inherited">The API socket systemd holds (<c>gradient-node.socket</c>), served instead of binding
    /// <see cref="NodeOptions.Socket"/> anew; its file is systemd's and is neither probed nor removed.</param>
    public static WebApplication Build(NodeOptions options, InheritedUnixSocket? inherited = null)
    {
        Directory.CreateDirectory(options.RunDir);
        Directory.CreateDirectory(options.StateDir);
        Directory.CreateDirectory(options.SpecsDir);
        if (inherited is null)
        {
            PrepareSocket(options.Socket);
        }

        var builder = WebApplication.CreateSlimBuilder();
        Logging.Configure(builder.Logging);
        var accounts = new UnixAccounts();
        var access = new SocketAccessPolicy(accounts, Libc.GetEffectiveUserId(), options.SocketGroup);
        var connections = new SocketConnectionLimit(Libc.GetEffectiveUserId(), options.ApiMaxConnections, TimeProvider.System);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            ApiSocketLimits.Apply(kestrel.Limits, connections);
            Action<Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions> gate = listen =>
            {
                SocketGate.Use(listen, access, connections, kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SocketGate).FullName!));

                // A CLI call whose connection this daemon accepted just before its stop is answered, not closed as idle.
                listen.Use(GradientNode.Proxy.Connections.FirstRequestWait.Middleware(TimeProvider.System));
            };
            if (inherited is not null)
            {
                kestrel.ListenHandle((ulong)inherited.Descriptor, gate);
            }
            else
            {
                kestrel.ListenUnixSocket(options.Socket, gate);
            }
        });
        builder.Services.Configure<HostOptions>(host =>
        {
            host.ShutdownTimeout = ShutdownTimeout;
            host.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });
        builder.Services.AddSingleton(access);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(new ReloadState(options));

        // First, so that the host stops it last and it sees whether the shutdown ran out of time.
        services.AddHostedService<ShutdownOverrunReporter>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ApiFileProblems>();
        services.AddSingleton(options.Reconciler);
        services.AddSingleton(sp => new DockerEngine(options.Engine, sp.GetRequiredService<ILogger<DockerEngine>>(), TimeProvider.System));
        services.AddSingleton<IContainerEngine>(sp => sp.GetRequiredService<DockerEngine>());
        services.AddSingleton(sp => new ReplicaNetwork(
            sp.GetRequiredService<DockerEngine>(),
            new IptablesFirewall(TimeProvider.System, sp.GetRequiredService<ILogger<IptablesFirewall>>()),
            options.ReplicaNetwork,
            options.NodeName,
            TimeProvider.System,
            sp.GetRequiredService<ILogger<ReplicaNetwork>>()));
        services.AddSingleton(new CapabilityAudit(options.NodeName));
        services.AddHostedService(sp => new ReplicaNetworkService(sp.GetRequiredService<ReplicaNetwork>(), TimeProvider.System, sp.GetRequiredService<ILogger<ReplicaNetworkService>>()));
        services.AddSingleton<ReplicaObserver>();
        services.AddSingleton(sp => new ProbeRunner(sp.GetRequiredService<IContainerEngine>()));
        services.AddSingleton(sp => new HealthMonitor(sp.GetRequiredService<ProbeRunner>(), TimeProvider.System, sp.GetRequiredService<ILogger<HealthMonitor>>()));
        services.AddSingleton<StateWriteProblems>();
        services.AddSingleton(sp => new ReplicaJournal(Path.Combine(options.StateDir, ReplicaJournal.FileName), new StateFileDamage(TimeProvider.System, sp.GetRequiredService<ILogger<ReplicaJournal>>()) { Writes = sp.GetRequiredService<StateWriteProblems>() }));
        services.AddSingleton<StatusStore>();
        services.AddSingleton<TrafficReader>();
        services.AddSingleton<History.DeploymentHistory>();
        services.AddSingleton<History.HistoryService>();
        services.AddHostedService(sp => sp.GetRequiredService<History.HistoryService>());
        services.AddSingleton(sp => new SecretStore(options.StateDir, sp.GetRequiredService<ILogger<SecretStore>>()));
        services.AddSingleton(sp => new ImagesDiskUse(sp.GetRequiredService<IContainerEngine>(), TimeProvider.System));
        services.AddSingleton(new Api.LogFollowLimit(options.MaxLogFollows, Libc.GetEffectiveUserId(), accounts.UserName));
        services.AddSingleton(sp => new SecretSnapshots(sp.GetRequiredService<SecretStore>(), options.StateDir, sp.GetRequiredService<ILogger<SecretSnapshots>>()));
        services.AddSingleton(sp => new RestartGenerations(options.StateDir, new StateFileDamage(TimeProvider.System, sp.GetRequiredService<ILogger<RestartGenerations>>())));
        services.AddSingleton(sp => new RegistryStore(options.StateDir, sp.GetRequiredService<ILogger<RegistryStore>>()));
        services.AddSingleton(sp => new ImagePuller(
            sp.GetRequiredService<IContainerEngine>(),
            sp.GetRequiredService<RegistryStore>(),
            new PullProgressTracker(TimeProvider.System),
            TimeProvider.System,
            new PullOptions { StallTimeout = options.PullStallTimeout },
            sp.GetRequiredService<ILogger<ImagePuller>>()));
        services.AddSingleton(sp =>
        {
            // Whoever gets the store first (the API, a run, gc) gets it with the unfinished runs holding again what they resolved.
            var store = new DatasetStore(Path.Combine(options.StateDir, "datasets"), TimeProvider.System, sp.GetRequiredService<ILogger<DatasetStore>>())
            {
                MaxEntries = options.DatasetMaxEntries,
            };
            DatasetStoreWorkflowDatasets.RestoreHolds(store, sp.GetRequiredService<WorkflowRunStore>());
            return store;
        });
        services.AddSingleton(sp => new DatasetUsers(sp.GetRequiredService<IContainerEngine>(), sp.GetRequiredService<DatasetStore>()));
        services.AddSingleton(sp => new VolumeStores(options.StateDir, sp.GetRequiredService<DatasetStore>()));
        services.AddSingleton(sp => new ModelUsers(sp.GetRequiredService<IContainerEngine>(), sp.GetRequiredService<VolumeStores>().Models));
        services.AddSingleton(sp => new StorageCollector(
            sp.GetRequiredService<DatasetStore>(),
            sp.GetRequiredService<DatasetUsers>(),
            sp.GetRequiredService<VolumeMaterializer>(),
            sp.GetRequiredService<IContainerEngine>(),
            new StorageGcOptions { Keep = options.DatasetKeep },
            TimeProvider.System,
            sp.GetRequiredService<ILogger<StorageCollector>>()));
        services.AddHostedService(sp => sp.GetRequiredService<StorageCollector>());
        services.AddSingleton(sp => new VolumeMaterializer(
            sp.GetRequiredService<VolumeStores>(),
            [new GitFetcher(new GitRemotePolicy(options.GitLocalRoots)), new S3Fetcher()],
            MaterializerOptions.FromEnvironment(Environment.GetEnvironmentVariable),
            TimeProvider.System,
            sp.GetRequiredService<ILogger<VolumeMaterializer>>()));
        services.AddSingleton(sp => new VersionHasher(sp.GetRequiredService<RestartGenerations>()));
        services.AddSingleton(sp => new EndpointAuthorization(sp.GetRequiredService<SecretSnapshots>(), sp.GetRequiredService<VersionHasher>()));
        services.AddSingleton(new RegistryTester(new HttpClient { Timeout = TimeSpan.FromSeconds(15) }));
        services.AddSingleton(sp => new SpecDirectoryWatcher(options.SpecsDir, options.StateDir, TimeProvider.System, sp.GetRequiredService<ILogger<SpecDirectoryWatcher>>()));
        services.AddSingleton<INvidiaSmi>(new NvidiaSmiRunner());
        services.AddSingleton(sp => new GpuInventory(sp.GetRequiredService<INvidiaSmi>(), TimeProvider.System, sp.GetRequiredService<ILogger<GpuInventory>>()));
        services.AddHostedService(sp => sp.GetRequiredService<GpuInventory>());
        services.AddSingleton(sp => new GpuAssigner(
            sp.GetRequiredService<IContainerEngine>(), sp.GetRequiredService<GpuInventory>(), options.MachineTypes, options.NodeName, sp.GetRequiredService<ILogger<GpuAssigner>>(),
            hostMemory: NodeHost.Current().MemoryBytes));
        services.AddSingleton(sp => new AutoscaleStore(options.StateDir, new StateFileDamage(TimeProvider.System, sp.GetRequiredService<ILogger<AutoscaleStore>>())));
        services.AddSingleton(sp => new NodeStopStore(options.StateDir, new StateFileDamage(TimeProvider.System, sp.GetRequiredService<ILogger<NodeStopStore>>())));
        services.AddSingleton(sp => new GpuLossMonitor(
            sp.GetRequiredService<IContainerEngine>(), TimeProvider.System, sp.GetRequiredService<ILogger<GpuLossMonitor>>(), GpuLossMonitor.PeriodFromEnvironment(Environment.GetEnvironmentVariable)));
        // The reconciler's rooms (docs/design/reconciler.md, "How a spec becomes a replica").
        services.AddSingleton<LeavingReplicas>();
        services.AddSingleton(sp =>
        {
            var snapshots = sp.GetRequiredService<SecretSnapshots>();
            return new DeploymentObserver(
                sp.GetRequiredService<ReplicaObserver>(),
                [new CredentialsHashOverlay(sp.GetRequiredService<VersionHasher>().ComputeBeforeCredentials), new HealthOverlay(sp.GetRequiredService<HealthMonitor>()), new GpuLossOverlay(sp.GetRequiredService<GpuLossMonitor>()), new NodeStopOverlay(sp.GetRequiredService<NodeStopStore>()), sp.GetRequiredService<LeavingReplicas>()],
                sp.GetRequiredService<ReplicaJournal>(),
                sp.GetRequiredService<IContainerEngine>(),
                TimeProvider.System,
                (_, spec) => spec is null ? snapshots.MaskForAll() : snapshots.MaskFor(spec));
        });
        services.AddSingleton(sp => new AssignedGpus(sp.GetRequiredService<GpuAssigner>()));
        services.AddSingleton(sp => new VersionPreparer(
            sp.GetRequiredService<AssignedGpus>(),
            new SnapshotSecrets(sp.GetRequiredService<SecretSnapshots>()),
            new MaterializedVolumes(sp.GetRequiredService<VolumeMaterializer>()),
            sp.GetRequiredService<ImagePuller>(),
            sp.GetRequiredService<ReplicaJournal>(),
            sp.GetRequiredService<ILogger<VersionPreparer>>()));
        services.AddSingleton(sp => new PlanExecutor(
            sp.GetRequiredService<IContainerEngine>(),
            sp.GetRequiredService<AssignedGpus>(),
            new DrainWaiter(sp.GetRequiredService<TrafficReader>().Read, TimeProvider.System, options.Reconciler.DrainTimeout),
            sp.GetRequiredService<ReplicaJournal>(),
            options.Reconciler,
            TimeProvider.System,
            sp.GetRequiredService<ILogger<PlanExecutor>>(),
            sp.GetRequiredService<EngineEchoes>(),
            sp.GetRequiredService<ReplicaNetwork>(),
            sp.GetRequiredService<NodeStopStore>(),
            sp.GetRequiredService<LeavingReplicas>()));
        // A singleton of the container so that it is disposed at the stop: its coalesced write is flushed then.
        services.AddSingleton(sp => new SlotCounters(Path.Combine(options.StateDir, SlotCounters.FileName), new StateFileDamage(TimeProvider.System, sp.GetRequiredService<ILogger<SlotCounters>>()) { Writes = sp.GetRequiredService<StateWriteProblems>() }));
        services.AddSingleton(sp => new DeploymentReconciler(
            sp.GetRequiredService<DeploymentObserver>(),
            sp.GetRequiredService<VersionPreparer>(),
            sp.GetRequiredService<PlanExecutor>(),
            new RolloutTracker(sp.GetRequiredService<ILogger<RolloutTracker>>()),
            sp.GetRequiredService<VersionHasher>(),
            new AutoscaledCount(sp.GetRequiredService<AutoscaleStore>()),
            sp.GetRequiredService<ReplicaJournal>(),
            options.Reconciler,
            secret => !secret.Ephemeral,
            TimeProvider.System,
            sp.GetRequiredService<SlotCounters>()));
        services.AddSingleton(new EngineEchoes(TimeProvider.System));
        services.AddSingleton<ReconcilerService>();
        services.AddHostedService(sp => sp.GetRequiredService<ReconcilerService>());
        services.AddSingleton(sp => new AutoscalerService(
            () => sp.GetRequiredService<SpecDirectoryWatcher>().Entries.Values.Select(e => e.Spec).OfType<GradientNode.Core.Specs.DeploymentSpec>(),
            sp.GetRequiredService<StatusStore>(),
            sp.GetRequiredService<IContainerEngine>(),
            sp.GetRequiredService<TrafficReader>().Read,
            options.MachineTypes,
            sp.GetRequiredService<AutoscaleStore>(),
            options.Autoscaler,
            TimeProvider.System,
            sp.GetRequiredService<ILogger<AutoscalerService>>()));
        services.AddHostedService(sp => sp.GetRequiredService<AutoscalerService>());
        services.AddSingleton(new RouteTableStore(options.RunDir));
        services.AddSingleton(sp => new RoutePublisher(
            sp.GetRequiredService<RouteTableStore>(),
            sp.GetRequiredService<StatusStore>(),
            sp.GetRequiredService<SpecDirectoryWatcher>(),
            TimeProvider.System,
            sp.GetRequiredService<ILogger<RoutePublisher>>(),
            sp.GetRequiredService<EndpointAuthorization>()));
        services.AddHostedService(sp => sp.GetRequiredService<RoutePublisher>());
        services.AddHostedService<MemoryTrimmer>();

        WorkflowServices.Add(services, options);
        if (options.ConsoleListen is { } consoleListen)
        {
            services.AddHostedService(sp => new WebConsole.ConsoleHostService(
                consoleListen, options.ConsoleAllowRemote, options.Socket, access, sp.GetRequiredService<ILogger<WebConsole.ConsoleHostService>>()));
        }

        var app = builder.Build();

        ReconcileTriggers.Wire(app.Services);
        app.UseExceptionHandler(ApiErrors.HandlerOptions());
        app.UseStatusCodePages(pages => ApiErrors.WriteEmptyStatusAsync(pages.HttpContext));
        app.UseDecodedSlashes();
        NodeEndpoints.Map(app);
        NodeTlsEndpoint.Map(app);
        DeploymentEndpoints.Map(app);
        ScaleEndpoints.Map(app);
        History.HistoryEndpoints.Map(app);
        LogsEndpoints.Map(app);
        MetricsEndpoints.Map(app);
        SecretEndpoints.Map(app);
        StoreEndpoints.Map(app);
        DatasetEndpoints.Map(app);
        WorkflowEndpoints.Map(app);
        var socketLog = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SocketGate).FullName!);
        app.Lifetime.ApplicationStarted.Register(() => SocketGate.Secure(options.Socket, options.SocketGroup, accounts, socketLog));
        return app;
    }

    /// <summary>Refuses to start beside a live daemon on the same socket; removes a stale socket file.</summary>
    internal static void PrepareSocket(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (!File.Exists(path))
        {
            return;
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            throw new StartupException($"another gradient-node is already serving {path}; stop it first or pass --socket");
        }
        catch (SocketException)
        {
            File.Delete(path);
        }
    }
}
