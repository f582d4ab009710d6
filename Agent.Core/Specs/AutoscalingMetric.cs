namespace GradientNode.Core.Specs;

public enum AutoscalingMetric
{
    Cpu,
    Memory,
    RequestDuration,
}
