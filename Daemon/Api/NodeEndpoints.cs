using GradientNode.Core.Catalog;
using GradientNode.Core.Engine;
using GradientNode.Core.Gpus;
using GradientNode.Core.Integrations;
using GradientNode.Core.Networking;
using GradientNode.Core.Routing;
using GradientNode.Core.Secrets;
using GradientNode.Core.Status;
using GradientNode.Daemon.Configuration;

namespace GradientNode.Daemon.Api;

/// <summary><c>/v1/health</c> and <c>/v1/node</c>.</summary>
internal static class NodeEndpoints
{
    public static string Version { get; } =
        typeof(NodeEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/v1/health", async (IContainerEngine engine, NodeOptions options, CancellationToken cancellationToken) =>
        {
            string? error = null;
            try
            {
                await engine.PingAsync(cancellationToken);
            }
            catch (EngineException ex)
            {
                error = ex.Message;
            }

            return JsonResults.Json(new HealthResponse("ok", Version, options.NodeName, error is null, error), ApiJsonContext.Default.HealthResponse);
        });

        api.MapGet("/v1/node", async (IContainerEngine engine, NodeOptions options, StatusStore statuses, GpuAssigner gpus, GpuLossMonitor gpuLoss, VolumeMaterializer volumes, VolumeStores stores, SpecDirectoryWatcher specs, RoutePublisher routes, SecretSnapshots snapshots, ImagesDiskUse images, ReplicaNetwork network, CapabilityAudit capabilities, Hosting.ReloadState reload, GradientNode.Core.Common.StateWriteProblems stateWrites, CancellationToken cancellationToken) =>
        {
            EngineSummary summary;
            var snapshot = await gpus.Inventory.GetAsync(cancellationToken);
            IReadOnlyDictionary<string, string> heldBy = new Dictionary<string, string>();
            string? outside = null;
            string? holdingCapabilities = null;
            string? unboundedPids = null;
            try
            {
                var version = await engine.GetVersionAsync(cancellationToken);
                var info = await engine.GetInfoAsync(cancellationToken);
                summary = new EngineSummary(options.Engine.Host, true, version.Version, version.ApiVersion, info.Runtimes, info.LiveRestoreEnabled, null);
                var containers = options.MaxReplicas == 0 ? 0 : options.MaxReplicas + options.WorkflowJobLimit;
                unboundedPids = ContainersCgroup.Check(options.ContainersCgroup, options.Engine.Host, info, options.PidsLimit, containers);
                heldBy = await gpus.HeldByAsync(cancellationToken);
                // One listing of the node's containers for both warnings.
                var mine = await engine.ListContainersAsync([$"{ContainerLabels.Node}={options.NodeName}"], cancellationToken);
                outside = network.OutsideReplicas(mine);
                holdingCapabilities = await capabilities.WarningAsync(engine, mine, cancellationToken);
            }
            catch (EngineException ex)
            {
                summary = new EngineSummary(options.Engine.Host, false, null, null, [], false, ex.Message);
            }

            (long? Bytes, string? Warning) imageBytes = summary.Reachable ? await images.GetAsync(cancellationToken) : (null, null);

            return JsonResults.Json(
                new NodeResponse(
                    options.NodeName,
                    Version,
                    Path.GetFullPath(options.SpecsDir),
                    Path.GetFullPath(options.StateDir),
                    Path.GetFullPath(options.RunDir),
                    options.Socket,
                    options.BoundListen ?? options.Listen,
                    options.Domain,
                    summary,
                    GpuPreflight.Gpus(snapshot, heldBy),
                    snapshot.Note,
                    statuses.All.Count,
                    new NodeDiskUse(volumes.TotalVolumeBytes(), DirectorySize.Of(stores.Models.Root).Bytes, DirectorySize.Of(stores.Datasets.Root).Bytes, volumes.DiskUseByDeployment()) { Images = imageBytes.Bytes })
                {
                    Host = NodeHost.Current(),
                    Warnings = [
                        .. GpuPreflight.Warnings(snapshot, summary.Reachable ? summary.Runtimes : null, GpuPreflight.ToolkitOnPath(Environment.GetEnvironmentVariable("PATH"))),
                        .. gpuLoss.Warnings,
                        .. specs.Warnings,
                        .. routes.Warnings,
                        .. snapshots.Warnings,
                        .. network.Warnings,
                        .. reload.Warnings,
                        .. stateWrites.Warnings,
                        .. (string[])(outside is null ? [] : [outside]),
                        .. (string[])(holdingCapabilities is null ? [] : [holdingCapabilities]),
                        .. (string[])(unboundedPids is null ? [] : [unboundedPids]),
                        .. (string[])(imageBytes.Warning is null ? [] : [imageBytes.Warning]),
                        .. (string[])(StateDiskWarning.For(options.StateDir) is { } disk ? [disk] : []),
                        .. (string[])(TlsNameWarnings.ForNode(TlsNameWarnings.Read(options), specs.Entries.Keys, options.Domain) is { } tls ? [tls] : []),
                        .. (string[])(TlsNameWarnings.Read(options)?.RenewalNotWritten is { } renewal ? [renewal] : []),
                        .. (string[])(TlsNameWarnings.Read(options)?.Rejected is { } rejected ? [rejected] : []),
                    ],
                },
                ApiJsonContext.Default.NodeResponse);
        });
    }
}
