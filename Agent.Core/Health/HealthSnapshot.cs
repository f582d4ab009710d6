namespace GradientNode.Core.Health;

/// <summary>What the probes of one container say right now.</summary>
public sealed record HealthSnapshot(
    ReplicaHealth Health,
    bool HasReadinessProbe,
    string? RestartReason,
    ProbeStatus? Startup,
    ProbeStatus? Readiness,
    ProbeStatus? Liveness)
{
    /// <summary>
    /// Why the container is in <see cref="Health"/>, in the words of the probe that decides it (for the transition log):
    /// the restart reason, the startup probe while starting, else the readiness probe. Not the last probe that ran,
    /// which could be a passing startup probe quoted for NotReady, or the liveness probe quoted for Ready.
    /// </summary>
    public string Detail => RestartReason ?? Health switch
    {
        ReplicaHealth.Starting => Startup?.LastMessage is { } m ? $"startup probe: {m}" : "waiting for the startup probe",
        _ when Readiness?.LastMessage is { } m => $"readiness probe: {m}",
        ReplicaHealth.NotReady => "waiting for the readiness probe",
        _ => Startup?.LastMessage is { } m ? $"startup probe: {m}" : "no readiness probe",
    };
}
