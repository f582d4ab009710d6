using System.Text.Json;
using GradientNode.Core.Integrations;
using GradientNode.Core.Registries;
using GradientNode.Core.Secrets;
using GradientNode.Daemon.Api;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// What a running node holds that a deployment spec may name: its secrets, registry connections and models, by name
/// (damaged ones marked), as the daemon lists them (<c>GET /v1/secrets</c>, <c>/v1/registries</c>, <c>/v1/models</c>),
/// and how many GPUs it has (<c>GET /v1/node</c>). Names only: the listings carry no value. Read by <c>validate</c>,
/// <c>diff</c> and <c>apply</c> for <see cref="DeploymentStoreWarnings"/>.
/// </summary>
internal sealed record NodeStores(IReadOnlyList<SecretInfo> Secrets, IReadOnlyList<RegistryInfo> Registries, IReadOnlyList<StoreEntry> Models)
{
    /// <summary>The node's GPUs, held or free; null when it did not say (then nothing is said about GPUs).</summary>
    public int? Gpus { get; init; }

    /// <summary>Why the node has no GPUs, as <c>GET /v1/node</c>'s <c>gpuNote</c> says (no nvidia-smi, no NVIDIA runtime), or null.</summary>
    public string? GpuNote { get; init; }

    /// <summary>How long <c>validate</c>, which needs no daemon, waits for one to list its stores.</summary>
    public static readonly TimeSpan ValidateBound = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The node's stores, or null when no daemon answers at the socket or one listing fails: then nothing is said about
    /// them rather than a guess (<c>validate</c> without a daemon is offline).
    /// </summary>
    public static async Task<NodeStores?> TryReadAsync(ApiClient api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        try
        {
            var secrets = await GetAsync(api, "v1/secrets", ApiJsonContext.Default.ListSecretInfo, cancellationToken);
            var registries = secrets is null ? null : await GetAsync(api, "v1/registries", RegistryJsonContext.Default.ListRegistryInfo, cancellationToken);
            var models = registries is null ? null : await GetAsync(api, "v1/models", VolumeJsonContext.Default.ListStoreEntry, cancellationToken);
            if (models is null)
            {
                return null;
            }

            var (gpus, note) = await GpusAsync(api, cancellationToken);
            return new NodeStores(secrets!, registries!, models) { Gpus = gpus, GpuNote = note };
        }
        catch (Exception ex) when (ex is DaemonUnreachableException or JsonException or HttpRequestException or IOException
            || (ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    private static async Task<(int? Gpus, string? Note)> GpusAsync(ApiClient api, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(HttpMethod.Get, "v1/node", null, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return (null, null);
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var root = json.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("gpus", out var gpus) || gpus.ValueKind != JsonValueKind.Array)
        {
            return (null, null);
        }

        var note = root.TryGetProperty("gpuNote", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return (gpus.GetArrayLength(), note);
    }

    private static async Task<List<T>?> GetAsync<T>(ApiClient api, string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<List<T>> type, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(HttpMethod.Get, path, null, cancellationToken);
        return response.IsSuccessStatusCode ? JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(cancellationToken), type) : null;
    }
}
