namespace GradientNode.Core.Specs;

/// <summary><c>healthChecks</c> (alias <c>healthchecks</c>): each probe is optional.</summary>
public sealed record HealthChecksSpec(ProbeSpec? Liveness, ProbeSpec? Readiness, ProbeSpec? Startup)
{
    public static HealthChecksSpec None { get; } = new(null, null, null);

    public bool IsEmpty => Liveness is null && Readiness is null && Startup is null;
}
