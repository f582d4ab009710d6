using GradientNode.Core.Specs;

namespace GradientNode.Core.Export;

/// <summary><c>healthChecks.*</c> as a container probe, field for field.</summary>
internal static class ProbeMapper
{
    public static Probe? Map(ProbeSpec? spec, int defaultPort)
    {
        if (spec is null)
        {
            return null;
        }

        var probe = new Probe(spec.InitialDelaySeconds, spec.PeriodSeconds, spec.TimeoutSeconds, spec.FailureThreshold);
        return spec.Action == ProbeAction.Exec
            ? probe with { Exec = new ExecAction([.. spec.ExecCommand]) }
            : probe with
            {
                HttpGet = new HttpGetAction(spec.Path ?? "/", spec.Port ?? defaultPort)
                {
                    Host = spec.Host,
                    HttpHeaders = spec.Headers.IsEmpty ? null : [.. spec.Headers.Select(h => new HttpHeader(h.Name, h.Value))],
                },
            };
    }
}
