// A family of wire DTOs (STYLE 3): the subset of the Kubernetes object model the export writes, one
// record per API type, property names as the API spells them (camelCase on output). The KubernetesClient
// package's models were not used: no NuGet feed is reachable offline here (docs/design/export.md).
using YamlDotNet.Serialization;

namespace GradientNode.Core.Export;

/// <summary>metadata of any object.</summary>
public sealed record ObjectMeta(string? Name, string? Namespace)
{
    public Dictionary<string, string>? Labels { get; init; }

    public Dictionary<string, string>? Annotations { get; init; }
}

/// <summary>A top-level object: apiVersion, kind, metadata, spec.</summary>
public sealed record KubeObject(string ApiVersion, string Kind, ObjectMeta Metadata, object? Spec)
{
    public Dictionary<string, string>? StringData { get; init; }
}

public sealed record LabelSelector(Dictionary<string, string> MatchLabels);

public sealed record DeploymentSpecDto(int Replicas, LabelSelector Selector, PodTemplate Template);

public sealed record PodTemplate(ObjectMeta? Metadata, PodSpecDto Spec);

public sealed record PodSpecDto(List<Container> Containers)
{
    public List<Container>? InitContainers { get; init; }

    public List<NameRef>? ImagePullSecrets { get; init; }

    public Dictionary<string, string>? NodeSelector { get; init; }

    public List<Toleration>? Tolerations { get; init; }

    public List<Volume>? Volumes { get; init; }
}

public sealed record NameRef(string Name);

public sealed record Toleration(string Key, string Operator, string Effect);

public sealed record Container(string Name, string Image)
{
    public List<string>? Command { get; init; }

    public List<string>? Args { get; init; }

    public List<EnvVar>? Env { get; init; }

    public List<ContainerPort>? Ports { get; init; }

    public ResourceRequirements? Resources { get; init; }

    public List<VolumeMount>? VolumeMounts { get; init; }

    public Probe? StartupProbe { get; init; }

    public Probe? ReadinessProbe { get; init; }

    public Probe? LivenessProbe { get; init; }
}

public sealed record EnvVar(string Name)
{
    public string? Value { get; init; }

    public EnvVarSource? ValueFrom { get; init; }
}

public sealed record EnvVarSource(SecretKeySelector SecretKeyRef);

public sealed record SecretKeySelector(string Name, string Key);

public sealed record ContainerPort([property: YamlMember(Alias = "containerPort")] int Number, string Protocol);

public sealed record ResourceRequirements(Dictionary<string, string> Requests, Dictionary<string, string> Limits);

public sealed record VolumeMount(string Name, string MountPath, bool ReadOnly);

public sealed record Volume(string Name)
{
    public EmptyDirSource? EmptyDir { get; init; }

    public PvcSource? PersistentVolumeClaim { get; init; }
}

public sealed record EmptyDirSource;

public sealed record PvcSource(string ClaimName);

public sealed record Probe(int InitialDelaySeconds, int PeriodSeconds, int TimeoutSeconds, int FailureThreshold)
{
    public HttpGetAction? HttpGet { get; init; }

    public ExecAction? Exec { get; init; }
}

public sealed record HttpGetAction(string Path, int Port)
{
    public string? Host { get; init; }

    public List<HttpHeader>? HttpHeaders { get; init; }
}

public sealed record HttpHeader(string Name, string Value);

public sealed record ExecAction(List<string> Command);

public sealed record ServiceSpecDto(Dictionary<string, string> Selector, List<ServicePort> Ports);

public sealed record ServicePort(string Name, int Port, int TargetPort, string Protocol);

public sealed record IngressSpecDto(string IngressClassName, List<IngressTls> Tls, List<IngressRule> Rules);

public sealed record IngressTls(List<string> Hosts, string SecretName);

public sealed record IngressRule(string Host, HttpIngressRule Http);

public sealed record HttpIngressRule(List<IngressPath> Paths);

public sealed record IngressPath(string Path, string PathType, IngressBackend Backend);

public sealed record IngressBackend(ServiceBackend Service);

public sealed record ServiceBackend(string Name, PortNumber Port);

public sealed record PortNumber(int Number);

public sealed record PvcSpecDto(List<string> AccessModes, VolumeResources Resources);

public sealed record VolumeResources(Dictionary<string, string> Requests);

public sealed record HpaSpecDto(ScaleTarget ScaleTargetRef, int MinReplicas, int MaxReplicas, List<MetricSpec> Metrics, HpaBehavior Behavior);

public sealed record ScaleTarget(string ApiVersion, string Kind, string Name);

public sealed record MetricSpec(string Type, ResourceMetric Resource);

public sealed record ResourceMetric(string Name, MetricTarget Target);

public sealed record MetricTarget(string Type, int AverageUtilization);

public sealed record HpaBehavior(ScalingRules ScaleDown);

public sealed record ScalingRules(int StabilizationWindowSeconds);
