// A family of wire DTOs (STYLE 3): KEDA's keda.sh/v1alpha1 ScaledObject, only the fields the export writes.
namespace GradientNode.Core.Export;

public sealed record ScaledObjectSpec(ScaleTarget ScaleTargetRef, int MinReplicaCount, int MaxReplicaCount, KedaAdvanced Advanced, List<KedaTrigger> Triggers);

public sealed record KedaAdvanced(KedaHpaConfig HorizontalPodAutoscalerConfig);

public sealed record KedaHpaConfig(HpaBehavior Behavior);

public sealed record KedaTrigger(string Type, Dictionary<string, string> Metadata)
{
    public string? MetricType { get; init; }
}
