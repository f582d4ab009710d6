using GradientNode.Core.Specs;
using k8s.Models;

namespace GradientNode.Core.Export;

/// <summary><c>healthChecks.*</c> as a container probe, field for field; the node's own readiness where the spec has none.</summary>
internal static class ProbeMapper
{
    public static V1Probe? Map(ProbeSpec? spec, int defaultPort)
    {
        if (spec is null)
        {
            return null;
        }

        var probe = new V1Probe
        {
            InitialDelaySeconds = spec.InitialDelaySeconds,
            PeriodSeconds = spec.PeriodSeconds,
            TimeoutSeconds = spec.TimeoutSeconds,
            FailureThreshold = spec.FailureThreshold,
        };
        if (spec.Action == ProbeAction.Exec)
        {
            probe.Exec = new V1ExecAction { Command = [.. spec.ExecCommand] };
        }
        else
        {
            probe.HttpGet = new V1HTTPGetAction
            {
                Path = spec.Path ?? "/",
                Port = spec.Port ?? defaultPort,
                HttpHeaders = Headers(spec),
            };
        }

        return probe;
    }

    /// <summary>
    /// The readiness of a spec without a readiness probe, as the node has it: ready once the first port accepts a TCP
    /// connection (docs/design/probes.md). Without it a pod would be ready, and sent traffic, as soon as its container
    /// runs, before the app listens.
    /// </summary>
    public static V1Probe FirstPortAccepts(int port) => new()
    {
        TcpSocket = new V1TCPSocketAction { Port = port },
        PeriodSeconds = 2,
        TimeoutSeconds = 1,
        FailureThreshold = 3,
    };

    /// <summary>
    /// The probe's headers. Our <c>host</c> is the <c>Host</c> header the node sends to the replica (it wins over a
    /// <c>Host</c> in <c>headers</c>), not Kubernetes' <c>httpGet.host</c>, which is where the kubelet connects: mapped
    /// there, the probe would leave the pod (or, for <c>HOST:PORT</c>, fail every time).
    /// </summary>
    private static List<V1HTTPHeader>? Headers(ProbeSpec spec)
    {
        var headers = spec.Headers
            .Where(h => spec.Host is not { Length: > 0 } || !h.Name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            .Select(h => new V1HTTPHeader { Name = h.Name, Value = h.Value })
            .ToList();
        if (spec.Host is { Length: > 0 } host)
        {
            headers.Add(new V1HTTPHeader { Name = "Host", Value = host });
        }

        return headers.Count == 0 ? null : headers;
    }
}
