using GradientNode.Core.Autoscaling;
using GradientNode.Core.Gpus;
using GradientNode.Core.Health;
using GradientNode.Core.Integrations;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Registries;
using GradientNode.Core.Routing;
using GradientNode.Core.Secrets;
using Microsoft.Extensions.DependencyInjection;

namespace GradientNode.Daemon.Hosting;

/// <summary>
/// Every event outside the loop that asks for a reconcile, wired in this one place. The loop's own inputs (spec
/// changes, Docker events, the periodic resync) stay inside <see cref="ReconcilerService"/>; commands (the restart
/// endpoint, a reload) call <see cref="ReconcilerService.Enqueue"/> or <see cref="ReconcilerService.EnqueueAll"/> directly.
/// </summary>
internal static class ReconcileTriggers
{
    public static void Wire(IServiceProvider services)
    {
        var reconciler = services.GetRequiredService<ReconcilerService>();

        // A new or changed secret or registry connection can heal a deployment that waits for it.
        // Snapshots subscribe to secret changes first, so a re-reconcile reads fresh values.
        _ = services.GetRequiredService<SecretSnapshots>();
        services.GetRequiredService<SecretStore>().Changed += _ => reconciler.EnqueueAll();
        services.GetRequiredService<RegistryStore>().Changed += _ => reconciler.EnqueueAll();

        // A new model version (models add, a workflow's create-model@v1) heals a deployment whose model was missing.
        services.GetRequiredService<VolumeStores>().Models.Added += _ => reconciler.EnqueueAll();

        // The route table holds basic auth derived from secrets: rebuild it when one changes, even if no status does.
        var routes = services.GetRequiredService<RoutePublisher>();
        services.GetRequiredService<SecretStore>().Changed += _ => routes.Invalidate();

        // A probe transition (ready, not ready, must restart) and a replica that lost its GPU.
        services.GetRequiredService<HealthMonitor>().Transition += reconciler.Enqueue;
        services.GetRequiredService<GpuLossMonitor>().Lost += reconciler.Enqueue;

        // A new autoscale decision, a finished volume fetch, a finished image pull.
        services.GetRequiredService<AutoscaleStore>().Changed += reconciler.Enqueue;
        services.GetRequiredService<VolumeMaterializer>().Changed += reconciler.Enqueue;
        services.GetRequiredService<ImagePuller>().Changed += reconciler.Enqueue;
    }
}
