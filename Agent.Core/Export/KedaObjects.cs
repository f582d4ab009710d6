// A family of wire DTOs (STYLE 3): KEDA's keda.sh/v1alpha1 ScaledObject, only the fields the export writes. KEDA is a
// CRD the KubernetesClient package has no model for; the parts that are core types use k8s.Models.
using k8s.Models;

namespace GradientNode.Core.Export;

public sealed record KedaScaledObject(string ApiVersion, string Kind, V1ObjectMeta Metadata, ScaledObjectSpec Spec);

public sealed record ScaledObjectSpec(V2CrossVersionObjectReference ScaleTargetRef, int MinReplicaCount, int MaxReplicaCount, KedaAdvanced Advanced, List<KedaTrigger> Triggers);

public sealed record KedaAdvanced(KedaHpaConfig HorizontalPodAutoscalerConfig);

public sealed record KedaHpaConfig(V2HorizontalPodAutoscalerBehavior Behavior);

public sealed record KedaTrigger(string Type, Dictionary<string, string> Metadata)
{
    public string? MetricType { get; init; }
}
