using GradientNode.Core.Health;

namespace GradientNode.Core.Status;

/// <summary>An instance's probes in status; a probe the spec does not set is null.</summary>
public sealed record ReplicaHealthStatus(string Health, ProbeStatus? Startup, ProbeStatus? Readiness, ProbeStatus? Liveness);
