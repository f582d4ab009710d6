using GradientNode.Core.Specs;

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
            ? context.SecretEnv(e.Name, secret.Name)
            : new EnvVar(e.Name) { Value = e.Value.Literal ?? string.Empty }).ToList();
        var port = spec.Resources.FirstPort;
        var app = new Container(slug, spec.Image)
        {
            Command = spec.Command is { } command ? [.. command] : null,
            Env = env.Count == 0 ? null : env,
            Ports = [.. (spec.Resources.Ports.IsEmpty ? [port] : spec.Resources.Ports.AsImmutableArray()).Select(p => new ContainerPort(p, "TCP"))],
            Resources = resources,
            StartupProbe = ProbeMapper.Map(spec.HealthChecks.Startup, port),
            ReadinessProbe = ProbeMapper.Map(spec.HealthChecks.Readiness, port),
            LivenessProbe = ProbeMapper.Map(spec.HealthChecks.Liveness, port),
        };
        volumes.Add(spec);
        app = app with { VolumeMounts = volumes.AppMounts.Count == 0 ? null : volumes.AppMounts };
        var pod = new PodSpecDto([app])
        {
            InitContainers = volumes.InitContainers.Count == 0 ? null : volumes.InitContainers,
            ImagePullSecrets = PullSecret(context, spec.ContainerRegistry),
            NodeSelector = MachineResources.NodeSelector(options),
            Tolerations = MachineResources.Tolerations(type),
            Volumes = volumes.Volumes.Count == 0 ? null : volumes.Volumes,
        };
        var podMeta = new ObjectMeta(null, null) { Labels = Names.Labels(slug) };
        var replicas = spec.IsDisabled ? 0 : spec.Resources.Replicas;
        var deployment = new KubeObject("apps/v1", "Deployment", Names.Meta(context, slug) with
        {
            Annotations = new() { ["gradient.paperspace.com/machine-type"] = spec.Resources.MachineType },
        }, new DeploymentSpecDto(replicas, new LabelSelector(Names.Selector(slug)), new PodTemplate(podMeta, pod)));
        context.AddFirst($"{slug}.deployment.yaml", deployment);
        Exposure.Add(context, spec);
        Scaling.Add(context, spec);
        if (spec.Region is { } region)
        {
            context.Warn("region", $"'{region}' names a Paperspace region; pick the cluster instead");
        }

        return context.Result();
    }

    private static List<NameRef>? PullSecret(ExportContext context, string? registry)
    {
        if (registry is null)
        {
            return null;
        }

        var name = Names.Of($"registry-{registry}");
        context.Command($"kubectl{context.NamespaceFlag} create secret docker-registry {name} --docker-server=<server of registry {registry}> --docker-username=<username> --docker-password=<password>");
        return [new NameRef(name)];
    }
}
