namespace GradientNode.Core.Status;

/// <summary>The contract's deployment states.</summary>
public enum DeploymentState
{
    /// <summary>All desired replicas run the current spec and are ready.</summary>
    Ready,

    /// <summary>Replicas are being created, replaced or removed.</summary>
    Progressing,

    /// <summary>Fewer replicas are ready than desired because some failed (exited, crash backoff, errors).</summary>
    Degraded,

    /// <summary><c>enabled: false</c> or <c>replicas: 0</c>: nothing runs.</summary>
    Disabled,

    /// <summary>The spec is valid but cannot run (image missing, engine error) and nothing is ready.</summary>
    Failed,

    /// <summary>The spec file has never been valid; <c>errors</c> says why.</summary>
    Invalid,
}
