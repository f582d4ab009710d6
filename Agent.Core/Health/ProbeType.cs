namespace GradientNode.Core.Health;

/// <summary>The three Kubernetes-style probes of <c>healthChecks</c>.</summary>
public enum ProbeType
{
    Startup,
    Readiness,
    Liveness,
}
