using System.Security.Cryptography;
using System.Text.Json;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// The hash of everything that shapes a replica container. Equal hashes mean a running replica can be kept;
/// fields that do not touch the container (replicas, autoscaling, enabled, basic auth, probes) are left out,
/// so changing them never restarts anything.
/// </summary>
public static class SpecHasher
{
    public const int Length = 12;

    public static string Compute(DeploymentSpec spec, IReadOnlyDictionary<string, string>? extra = null)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("image", spec.Image);
            json.WriteString("registry", spec.ContainerRegistry);
            json.WriteString("machineType", spec.Resources.MachineType);
            WriteArray(json, "command", spec.Command);
            json.WriteStartArray("env");
            foreach (var env in spec.Env)
            {
                json.WriteStringValue(env.Name);
                json.WriteStringValue(env.Value.ToString());
            }

            json.WriteEndArray();
            json.WriteStartArray("ports");
            foreach (var port in spec.Resources.Ports)
            {
                json.WriteNumberValue(port);
            }

            json.WriteEndArray();
            json.WriteStartArray("mounts");
            foreach (var integration in spec.Integrations)
            {
                json.WriteStringValue($"{integration.Type}|{integration.Name}|{integration.MountPath}|{integration.Url}|{integration.Endpoint}|{integration.Id}");
            }

            foreach (var model in spec.Models)
            {
                json.WriteStringValue($"model|{model.Id}|{model.Path}");
            }

            if (spec.Repositories is { } repos)
            {
                json.WriteStringValue($"repos|{repos.Dataset}|{repos.MountPath}");
                foreach (var repo in repos.Repositories)
                {
                    json.WriteStringValue($"repo|{repo.Name}|{repo.Url}|{repo.Ref}|{repo.Username}");
                }
            }

            json.WriteEndArray();
            if (extra is not null)
            {
                json.WriteStartObject("extra");
                foreach (var (key, value) in extra.OrderBy(pair => pair.Key, StringComparer.Ordinal))
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        var digest = SHA256.HashData(stream.ToArray());
        return Convert.ToHexStringLower(digest)[..Length];
    }

    private static void WriteArray(Utf8JsonWriter json, string name, IEnumerable<string>? values)
    {
        if (values is null)
        {
            json.WriteNull(name);
            return;
        }

        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    /// <summary>A short random suffix for container names, so a replacement never collides with its predecessor.</summary>
    public static string NewShortId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
}
