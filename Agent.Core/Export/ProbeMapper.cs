using GradientNode.Core.Specs;
using k8s.Models;

namespace GradientNode.Core.Export;

/// <summary><c>healthChecks.*</c> as a container probe, field for field.</summary>
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
                Host = spec.Host,
                HttpHeaders = spec.Headers.IsEmpty ? null : [.. spec.Headers.Select(h => new V1HTTPHeader { Name = h.Name, Value = h.Value })],
            };
        }

        return probe;
    }
}
