using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// <c>resources.autoscaling: {enabled = true, maxReplicas, metrics: [{metric, summary = average, value}]}</c>.
/// cpu/memory take an integer percentage 1–100; requestDuration takes seconds, at least 0.01.
/// </summary>
internal static class AutoscalingReader
{
    public const double MinRequestDuration = 0.01;

    private static readonly string[] Keys = SpecShapes.Autoscaling.Keys;
    private static readonly string[] MetricKeys = SpecShapes.AutoscalingMetric.Keys;

    public static AutoscalingSpec? Read(SpecReader reader, YamlMappingNode node, string field, int? replicas, YamlNode replicasAt)
    {
        var block = new MappingReader(reader, node, field, Keys);
        var errors = reader.ErrorCount;
        var enabled = block.Bool("enabled") ?? true;
        var maxReplicas = block.Int("maxReplicas", required: true);
        if (maxReplicas < 1)
        {
            block.Error("maxReplicas", $"must be at least 1, got {maxReplicas}");
        }
        else if (maxReplicas > ResourcesSpec.MaxReplicas)
        {
            block.Error("maxReplicas", ResourcesSpec.TooMany(maxReplicas.Value));
        }
        else if (maxReplicas < replicas)
        {
            block.Error("maxReplicas", $"must be at least resources.replicas ({replicas}), got {maxReplicas}");
        }

        if (enabled && replicas == 0)
        {
            reader.Error(replicasAt, "resources.replicas: autoscaling needs replicas >= 1 (set autoscaling.enabled: false or raise replicas)");
        }

        var metrics = new List<AutoscalingMetricSpec>();
        if (block.Sequence("metrics", required: true) is { } sequence)
        {
            if (sequence.Children.Count == 0 && enabled)
            {
                reader.Error(sequence, $"{block.Field("metrics")}: must list at least one metric");
            }

            var seen = new HashSet<AutoscalingMetric>();
            metrics = ListReader.ReadMappings(reader, sequence, block.Field("metrics"), MetricKeys, (item, _) =>
            {
                var metric = ReadMetric(item);
                if (metric is { } m && !seen.Add(m.Metric))
                {
                    item.Error("metric", $"duplicate metric '{item.String("metric")}'");
                    return null;
                }

                return metric;
            });
        }

        return maxReplicas is null || reader.ErrorCount != errors ? null : new AutoscalingSpec(enabled, maxReplicas.Value, new(metrics));
    }

    private static AutoscalingMetricSpec? ReadMetric(MappingReader item)
    {
        var name = item.String("metric", required: true);
        AutoscalingMetric? metric = name switch
        {
            null => null,
            "cpu" => AutoscalingMetric.Cpu,
            "memory" => AutoscalingMetric.Memory,
            "requestDuration" => AutoscalingMetric.RequestDuration,
            _ => null,
        };
        if (name is not null && metric is null)
        {
            item.Error("metric", $"unknown metric '{ValueReader.Shorten(name)}'; expected cpu, memory or requestDuration");
        }

        var summary = item.String("summary") ?? "average";
        if (summary != "average")
        {
            item.Error("summary", $"unknown summary '{ValueReader.Shorten(summary)}'; the only value is average");
        }

        var value = item.Number("value", required: true);
        if (value is { } v && metric is { } kind && !ValueInRange(kind, v))
        {
            item.Error("value", kind == AutoscalingMetric.RequestDuration
                ? $"must be at least {MinRequestDuration} seconds, got {v}"
                : $"must be an integer percentage from 1 to 100, got {v}");
        }

        return metric is null || value is null ? null : new AutoscalingMetricSpec(metric.Value, summary, value.Value);
    }

    private static bool ValueInRange(AutoscalingMetric metric, double value) => metric == AutoscalingMetric.RequestDuration
        ? value >= MinRequestDuration
        : value is >= 1 and <= 100 && Math.Floor(value) == value;
}
