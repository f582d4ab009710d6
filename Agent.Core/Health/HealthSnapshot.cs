namespace GradientNode.Core.Health;

/// <summary>What the probes of one container say right now.</summary>
public sealed record HealthSnapshot(
    ReplicaHealth Health,
    bool HasReadinessProbe,
    string? RestartReason,
    ProbeStatus? Startup,
    ProbeStatus? Readiness,
    ProbeStatus? Liveness);
