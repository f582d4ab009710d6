namespace GradientNode.Core.Health;

/// <summary>What the probes of one replica say.</summary>
public enum ReplicaHealth
{
    /// <summary>A startup probe has not passed yet: no traffic, no readiness or liveness probes.</summary>
    Starting,

    /// <summary>The readiness probe passed last (or there is none: the TCP check then decides).</summary>
    Ready,

    /// <summary>The readiness probe has not passed yet, or failed <c>failureThreshold</c> times in a row.</summary>
    NotReady,

    /// <summary>The startup or liveness probe failed <c>failureThreshold</c> times in a row: replace the container.</summary>
    MustRestart,
}
