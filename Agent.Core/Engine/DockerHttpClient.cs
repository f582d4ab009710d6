using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace GradientNode.Core.Engine;

/// <summary>
/// HTTP to the Docker Engine: a unix socket (<c>unix:///path</c>) through <see cref="SocketsHttpHandler.ConnectCallback"/>,
/// or TCP (<c>tcp://host:port</c>, plain http). Negotiates the API version once and prefixes every path with it.
/// Connection failures become <see cref="EngineUnavailableException"/>; non-2xx answers are left to the caller.
/// </summary>
internal sealed class DockerHttpClient : IDisposable
{
    /// <summary>The newest Engine API this client speaks.</summary>
    internal static readonly Version MaxApiVersion = new(1, 43);

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    private readonly HttpClient _http;
    private readonly SemaphoreSlim _negotiateLock = new(1, 1);
    private volatile string? _apiPrefix;

    public DockerHttpClient(string host)
    {
        Host = host;
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            UseProxy = false,
        };
        Uri baseAddress;
        if (host.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = host["unix://".Length..];
            handler.ConnectCallback = (_, ct) => ConnectUnixAsync(path, ct);
            baseAddress = new Uri("http://docker.sock/");
        }
        else if (host.StartsWith("tcp://", StringComparison.Ordinal) || host.StartsWith("http://", StringComparison.Ordinal))
        {
            baseAddress = new Uri("http://" + host[(host.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/') + "/");
        }
        else
        {
            throw new ArgumentException($"unsupported Docker host '{host}' (use unix:///path or tcp://host:port)", nameof(host));
        }

        // No client-wide timeout: logs/events stream for as long as the caller's token allows.
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    public string Host { get; }

    /// <summary>The negotiated API version, e.g. <c>1.41</c>, once known.</summary>
    public string? ApiVersion => _apiPrefix?[2..];

    public static StringContent Json<T>(T value, JsonTypeInfo<T> typeInfo) =>
        new(JsonSerializer.Serialize(value, typeInfo), Encoding.UTF8, JsonMediaType.MediaType!);

    /// <summary>Sends to an unversioned path such as <c>/_ping</c> or <c>/version</c>.</summary>
    public Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken) =>
        SendCoreAsync(request, completion, cancellationToken);

    /// <summary>Sends to <c>/v{api}{path}</c>; <paramref name="pathAndQuery"/> starts with '/'.</summary>
    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string pathAndQuery,
        HttpContent? content,
        CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead,
        Action<HttpRequestHeaders>? headers = null)
    {
        var prefix = await GetApiPrefixAsync(cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(method, prefix + pathAndQuery) { Content = content };
        headers?.Invoke(request.Headers);
        return await SendCoreAsync(request, completion, cancellationToken).ConfigureAwait(false);
    }

    public async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync(body, typeInfo, cancellationToken).ConfigureAwait(false)
            ?? throw new EngineException($"Docker engine at {Host} returned an empty body", (int)response.StatusCode);
    }

    /// <summary>The engine's <c>{"message": …}</c> for a failed call, else the raw body or the reason phrase.</summary>
    public static async Task<string> ReadErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (JsonSerializer.Deserialize(text, DockerJsonContext.Default.WireError)?.Message is { Length: > 0 } message)
            {
                return message;
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through to the raw text.
        }

        return text.Trim() is { Length: > 0 } raw ? raw : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
    }

    /// <summary>Throws an <see cref="EngineException"/> carrying the engine's message for a non-2xx response.</summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var message = await ReadErrorMessageAsync(response, cancellationToken).ConfigureAwait(false);
            throw new EngineException($"{operation} failed: {message}", (int)response.StatusCode);
        }
    }

    /// <summary>Reads one line of a streamed body; a dropped connection becomes <see cref="EngineUnavailableException"/>.</summary>
    public async Task<string?> ReadLineAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EngineUnavailableException($"Docker engine at {Host} closed the stream: {ex.Message}", ex);
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _negotiateLock.Dispose();
    }

    private async Task<string> GetApiPrefixAsync(CancellationToken cancellationToken)
    {
        if (_apiPrefix is { } known)
        {
            return known;
        }

        await _negotiateLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_apiPrefix is { } raced)
            {
                return raced;
            }

            var version = await GetServerVersionAsync(cancellationToken).ConfigureAwait(false);
            var server = Version.TryParse(version.ApiVersion, out var parsed) ? parsed : MaxApiVersion;
            var chosen = server < MaxApiVersion ? server : MaxApiVersion;
            _apiPrefix = string.Create(CultureInfo.InvariantCulture, $"/v{chosen.Major}.{chosen.Minor}");
            return _apiPrefix;
        }
        finally
        {
            _negotiateLock.Release();
        }
    }

    /// <summary><c>GET /version</c>, unversioned (what negotiation itself needs).</summary>
    public async Task<WireVersion> GetServerVersionAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/version");
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "GET /version", cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, DockerJsonContext.Default.WireVersion, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError || ex.InnerException is SocketException)
        {
            throw new EngineUnavailableException($"Docker engine at {Host} is unreachable: {ex.InnerException?.Message ?? ex.Message}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new EngineException($"Docker engine at {Host}: {request.Method} {request.RequestUri} failed: {ex.Message}", 0, ex);
        }
    }

    private static async ValueTask<Stream> ConnectUnixAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
