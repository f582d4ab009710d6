using GradientNode.Core.Specs;
using k8s.Models;

namespace GradientNode.Core.Export;

/// <summary>A deployment spec as a Deployment, Service, Ingress and (when autoscaled) an HPA or a KEDA ScaledObject.</summary>
public static class DeploymentExporter
{
    public static ExportResult Export(DeploymentSpec spec, string source, ExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        var context = new ExportContext(options, source);
        var slug = spec.Slug;
        var resources = MachineResources.For(context, "resources.machineType", spec.Resources.MachineType, out var type);
        var volumes = new FetchVolumes(context, slug);
        var env = spec.Env.Select(e => e.Value.Secret is { } secret
            ? context.SecretEnv(e.Name, secret)
            : ExportContext.SpecLiteral(e.Name, e.Value.Literal ?? string.Empty)).ToList();
        var port = spec.Resources.FirstPort;
        volumes.Add(spec);
        var app = new V1Container
        {
            Name = slug,
            Image = spec.Image,
            Command = spec.Command is { } command ? ExportContext.Verbatim(command) : null,
            Env = env.Count == 0 ? null : env,
            Ports = [.. (spec.Resources.Ports.IsEmpty ? [port] : spec.Resources.Ports.AsImmutableArray()).Select(p => new V1ContainerPort { ContainerPort = p, Protocol = "TCP" })],
            Resources = resources,
            VolumeMounts = volumes.AppMounts.Count == 0 ? null : volumes.AppMounts,
            StartupProbe = ProbeMapper.Map(spec.HealthChecks.Startup, port),
            ReadinessProbe = ProbeMapper.Map(spec.HealthChecks.Readiness, port) ?? ProbeMapper.FirstPortAccepts(port),
            LivenessProbe = ProbeMapper.Map(spec.HealthChecks.Liveness, port),
        };
        var pod = new V1PodSpec
        {
            Containers = [app],
            InitContainers = volumes.InitContainers.Count == 0 ? null : volumes.InitContainers,
            ImagePullSecrets = spec.ContainerRegistry is { } registry ? [context.PullSecret(registry)] : null,
            NodeSelector = MachineResources.NodeSelector(options),
            Tolerations = MachineResources.Tolerations(type),
            Volumes = volumes.Volumes.Count == 0 ? null : volumes.Volumes,
        };
        var meta = Names.Meta(context, slug);
        meta.Annotations = new Dictionary<string, string> { ["gradient.paperspace.com/machine-type"] = spec.Resources.MachineType };
        var deployment = new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = meta,
            Spec = new V1DeploymentSpec
            {
                Replicas = spec.IsDisabled ? 0 : spec.Resources.Replicas,
                Selector = new V1LabelSelector { MatchLabels = Names.Selector(slug) },
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = Names.Labels(slug) }, Spec = pod },
            },
        };
        context.AddFirst($"{slug}.deployment.yaml", deployment);
        Exposure.Add(context, spec);
        Scaling.Add(context, spec);
        if (spec.Region is { } region)
        {
            context.Warn("region", $"'{region}' names a Paperspace region; pick the cluster instead");
        }

        return context.Result();
    }
}
