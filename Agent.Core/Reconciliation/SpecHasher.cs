using System.Security.Cryptography;
using System.Text.Json;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// The hash of everything that shapes a replica container. Equal hashes mean a running replica can be kept;
/// fields that do not touch the container (replicas, autoscaling, enabled, basic auth, probes) are left out,
/// so changing them never restarts anything. What fetches a mounted integration or repository (its access key id,
/// secret reference, region, password reference) is in: content fetched with other credentials is other content.
/// </summary>
public static class SpecHasher
{
    public const int Length = 12;

    public static string Compute(DeploymentSpec spec, IReadOnlyDictionary<string, string>? extra = null) => Compute(spec, extra, credentials: true);

    /// <summary>
    /// The hash a node before 2026-12-07 gave this spec, whose hash left out what fetches its content (access key id,
    /// secret reference, region, password reference); null where the spec has none of them (the two are the same).
    /// <see cref="CredentialsHashOverlay"/> takes a replica labelled with it as the current version's, so an upgrade
    /// rolls nothing.
    /// </summary>
    public static string? ComputeBeforeCredentials(DeploymentSpec spec, IReadOnlyDictionary<string, string>? extra = null) =>
        HasCredentials(spec) ? Compute(spec, extra, credentials: false) : null;

    private static bool HasCredentials(DeploymentSpec spec) =>
        spec.Integrations.Any(i => i.AccessKeyId is not null || i.SecretAccessKey is not null || i.Region is not null)
        || spec.Repositories?.Repositories.Any(r => r.Password is not null) == true;

    private static string Compute(DeploymentSpec spec, IReadOnlyDictionary<string, string>? extra, bool credentials)
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
                var mount = $"{integration.Type}|{integration.Name}|{integration.MountPath}|{integration.Url}|{integration.Endpoint}|{integration.Id}";
                // What fetches the content is part of the version too: an edited access key, secret reference or region
                // must fetch again and roll, as an edited url does. Added only when set, so a spec with none keeps the
                // hash an earlier node gave its replicas.
                json.WriteStringValue(!credentials || (integration.AccessKeyId is null && integration.SecretAccessKey is null && integration.Region is null)
                    ? mount
                    : $"{mount}|{integration.Region}|{integration.AccessKeyId}|{integration.SecretAccessKey}");
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
                    var line = $"repo|{repo.Name}|{repo.Url}|{repo.Ref}|{repo.Username}";
                    json.WriteStringValue(!credentials || repo.Password is null ? line : $"{line}|{repo.Password}");
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
