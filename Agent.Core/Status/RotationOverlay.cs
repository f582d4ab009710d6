using System.Globalization;
using GradientNode.Core.Traffic;

namespace GradientNode.Core.Status;

/// <summary>
/// Folds the proxy's passive health (<see cref="ReplicaTraffic.OutOfRotation"/>, shared through <c>proxy-stats.json</c>)
/// into a status when it is read: each instance the proxy has out of rotation now gets <see cref="ReplicaStatus.OutOfRotation"/>.
/// While the engine cannot be reached (<see cref="DeploymentStatus.EngineUnreachable"/>) the readiness is a memory and the
/// proxy's failed connects are the only news: such an instance is shown not ready, the ready count drops, a deployment
/// left with fewer ready than desired is <c>Degraded</c>, and the message names the replicas the proxy took out and since
/// when. Before (faults11), the status said <c>Ready 2/2 … as last seen</c> while the proxy answered 503 for want of a
/// replica that accepts connections. While the engine is away an instance stays out after its cooldown ended, until a
/// request reaches it (the proxy clears the record then): the cooldown's end means only that the proxy tries it again, and
/// before (faults14) the status flapped every 5 s between <c>Degraded 0/2</c>, <c>1/2</c> and <c>Ready 2/2</c> while
/// both replicas were gone. While the engine answers, the node's own checks decide readiness (the proxy's cooldown
/// lags them), so only the instance's field is added.
/// </summary>
public static class RotationOverlay
{
    public static DeploymentStatus Apply(DeploymentStatus status, DeploymentTraffic? traffic, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        var outs = traffic?.Replicas
            .Where(r => r.OutOfRotation is { } o && (o.IsOut(now) || status.EngineUnreachable))
            .ToDictionary(r => r.Id, r => r.OutOfRotation!, StringComparer.Ordinal);
        if (outs is not { Count: > 0 })
        {
            return status;
        }

        var replicas = status.Replicas
            .Select(r => outs.GetValueOrDefault(ReplicaRouteId.Of(status.Slug, r.Index, r.ContainerId)) is { } o && r.State == "running"
                ? r with { OutOfRotation = o, Ready = r.Ready && !status.EngineUnreachable, StateMessage = r.StateMessage ?? Describe(o, now) }
                : r)
            .ToList();
        if (!status.EngineUnreachable)
        {
            return status with { Replicas = replicas };
        }

        var taken = replicas.Where((r, i) => r.OutOfRotation is not null && status.Replicas[i].Ready).ToList();
        var lost = taken.Select(r => r.Index).Distinct().Count(index => !replicas.Any(r => r.Index == index && r.Ready));
        if (taken.Count == 0)
        {
            return status with { Replicas = replicas };
        }

        var ready = Math.Max(0, status.ReadyReplicas - lost);
        var since = taken.Min(r => r.OutOfRotation!.Since);
        var names = string.Join(", ", taken.Select(r => r.Id));
        var reason = taken.OrderBy(r => r.OutOfRotation!.Since).First().OutOfRotation!.Reason;
        var note = string.Create(CultureInfo.InvariantCulture,
            $"; the proxy has taken {names} out of rotation since {since.UtcDateTime:yyyy-MM-ddTHH:mm:ss}Z: {(taken.Count == 1 ? "it does" : "they do")} not accept connections ({reason})");
        return status with
        {
            Replicas = replicas,
            ReadyReplicas = ready,
            State = status.State == DeploymentState.Ready && ready < status.DesiredReplicas ? DeploymentState.Degraded : status.State,
            Message = status.Message + note,
        };
    }

    private static string Describe(RotationOut o, DateTimeOffset now) => string.Create(CultureInfo.InvariantCulture,
        $"the proxy took it out of rotation at {o.Since.UtcDateTime:yyyy-MM-ddTHH:mm:ss}Z: it does not accept connections ({o.Reason}); {(o.IsOut(now) ? $"tried again at {o.Until.UtcDateTime:HH:mm:ss}Z" : "no request has reached it since; the next one tries it again")}");
}
