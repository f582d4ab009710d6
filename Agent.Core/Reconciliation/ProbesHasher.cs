using System.Security.Cryptography;
using System.Text.Json;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// The hash of a spec's <c>healthChecks</c>, every field of every probe (defaults filled in by the parser, so a field
/// written out with its default value hashes as one left out). It is kept apart from the spec hash (<see cref="SpecHasher"/>)
/// and stored in its own label (<see cref="Engine.ContainerLabels.ProbesHash"/>): a replica whose label differs is rolled
/// like a changed spec's (<see cref="HealthOverlay"/>), while a replica created by a node before the label (label absent)
/// keeps serving, so upgrading the node rolls nothing.
/// </summary>
public static class ProbesHasher
{
    public static string Compute(HealthChecksSpec checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            Write(json, "startup", checks.Startup);
            Write(json, "readiness", checks.Readiness);
            Write(json, "liveness", checks.Liveness);
            json.WriteEndObject();
        }

        return Convert.ToHexStringLower(SHA256.HashData(stream.ToArray()))[..SpecHasher.Length];
    }

    private static void Write(Utf8JsonWriter json, string name, ProbeSpec? probe)
    {
        if (probe is null)
        {
            json.WriteNull(name);
            return;
        }

        json.WriteStartObject(name);
        json.WriteString("action", probe.Action.ToString());
        json.WriteString("path", probe.Path);
        if (probe.Port is { } port)
        {
            json.WriteNumber("port", port);
        }
        else
        {
            json.WriteNull("port");
        }

        json.WriteString("host", probe.Host);
        json.WriteStartArray("headers");
        foreach (var header in probe.Headers)
        {
            json.WriteStringValue(header.Name);
            json.WriteStringValue(header.Value);
        }

        json.WriteEndArray();
        json.WriteStartArray("exec");
        foreach (var part in probe.ExecCommand)
        {
            json.WriteStringValue(part);
        }

        json.WriteEndArray();
        json.WriteNumber("initialDelaySeconds", probe.InitialDelaySeconds);
        json.WriteNumber("periodSeconds", probe.PeriodSeconds);
        json.WriteNumber("timeoutSeconds", probe.TimeoutSeconds);
        json.WriteNumber("failureThreshold", probe.FailureThreshold);
        json.WriteEndObject();
    }
}
