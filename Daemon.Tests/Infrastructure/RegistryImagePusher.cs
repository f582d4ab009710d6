using System.Formats.Tar;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace GradientNode.Tests.Infrastructure;

/// <summary>
/// Writes an image straight into the test registry over its HTTP API (no docker CLI, nothing in the engine's store):
/// the test registry's private image plus one layer of random bytes, so that the layer is new to the engine and a
/// pull has to download it.
/// </summary>
internal static class RegistryImagePusher
{
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.index.v1+json",
    ];

    /// <summary>
    /// Pushes <c>REPOSITORY:<paramref name="tag"/></c> (the private image's repository); returns the new layer's digest.
    /// <paramref name="editConfig"/> changes the image's config first (its <c>config.Env</c>, say).
    /// </summary>
    public static async Task<string> PushWithRandomLayerAsync(TestRegistry registry, string tag, int layerBytes, CancellationToken ct, Action<JsonObject>? editConfig = null)
    {
        var (repository, baseTag) = Split(registry.PrivateImage);
        using var http = new HttpClient { BaseAddress = new Uri($"http://{registry.Address}/v2/{repository}/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{registry.Username}:{registry.Password}")));

        var (manifest, mediaType) = await ManifestAsync(http, baseTag, ct);
        var configDigest = manifest["config"]!["digest"]!.GetValue<string>();
        var config = JsonNode.Parse(await http.GetStringAsync($"blobs/{configDigest}", ct))!.AsObject();

        var (tar, gzip) = Layer(layerBytes);
        var layerDigest = Digest(gzip);
        config["rootfs"]!["diff_ids"]!.AsArray().Add(Digest(tar));
        if (config["history"] is JsonArray history)
        {
            history.Add(new JsonObject { ["created_by"] = "gradient-node tests: a layer of random bytes" });
        }

        editConfig?.Invoke(config);
        var configBytes = Encoding.UTF8.GetBytes(config.ToJsonString());
        await UploadAsync(http, layerDigest, gzip, ct);
        await UploadAsync(http, Digest(configBytes), configBytes, ct);

        var layers = manifest["layers"]!.AsArray();
        layers.Add(new JsonObject { ["mediaType"] = layers[^1]!["mediaType"]!.GetValue<string>(), ["size"] = gzip.Length, ["digest"] = layerDigest });
        manifest["config"]!["digest"] = Digest(configBytes);
        manifest["config"]!["size"] = configBytes.Length;
        using var put = new ByteArrayContent(Encoding.UTF8.GetBytes(manifest.ToJsonString()));
        put.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await http.PutAsync($"manifests/{tag}", put, ct);
        await EnsureAsync(response, "PUT manifest", ct);
        return layerDigest;
    }

    private static async Task<(JsonObject Manifest, string MediaType)> ManifestAsync(HttpClient http, string reference, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"manifests/{reference}");
        foreach (var type in ManifestTypes)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        using var response = await http.SendAsync(request, ct);
        await EnsureAsync(response, "GET manifest", ct);
        var manifest = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!.AsObject();
        var mediaType = manifest["mediaType"]?.GetValue<string>() ?? response.Content.Headers.ContentType!.MediaType!;
        if (manifest["manifests"] is JsonArray list)
        {
            // An index (docker pushes one with attestations): take the first real platform's manifest.
            var first = list.First(m => m!["platform"]?["architecture"]?.GetValue<string>() is not (null or "unknown"))!;
            return await ManifestAsync(http, first["digest"]!.GetValue<string>(), ct);
        }

        return (manifest, mediaType);
    }

    private static async Task UploadAsync(HttpClient http, string digest, byte[] content, CancellationToken ct)
    {
        using var start = await http.PostAsync("blobs/uploads/", null, ct);
        await EnsureAsync(start, "POST blob upload", ct);
        var location = start.Headers.Location!;
        var url = location.IsAbsoluteUri ? location : new Uri(new Uri(http.BaseAddress!.GetLeftPart(UriPartial.Authority)), location);
        var separator = url.Query.Length > 0 ? "&" : "?";
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var done = await http.PutAsync(new Uri(url + separator + "digest=" + Uri.EscapeDataString(digest)), body, ct);
        await EnsureAsync(done, "PUT blob", ct);
    }

    /// <summary>The repository of the test registry's private image, where <see cref="PushWithRandomLayerAsync"/> pushes.</summary>
    public static string Repository(TestRegistry registry) => Split(registry.PrivateImage).Repository;

    /// <summary>A tar of one file of random bytes, and its gzip.</summary>
    private static (byte[] Tar, byte[] Gzip) Layer(int bytes)
    {
        var data = RandomNumberGenerator.GetBytes(bytes);
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            using var content = new MemoryStream(data);
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "gradient-test-random.bin") { DataStream = content, Mode = (UnixFileMode)0b110_100_100 });
        }

        using var gzip = new MemoryStream();
        using (var compress = new GZipStream(gzip, CompressionLevel.Fastest, leaveOpen: true))
        {
            compress.Write(tar.ToArray());
        }

        return (tar.ToArray(), gzip.ToArray());
    }

    private static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    private static (string Repository, string Tag) Split(string image)
    {
        var path = image[(image.IndexOf('/', StringComparison.Ordinal) + 1)..];
        var colon = path.LastIndexOf(':');
        return (path[..colon], path[(colon + 1)..]);
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        }
    }
}
