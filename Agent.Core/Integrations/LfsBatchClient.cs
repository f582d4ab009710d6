using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GradientNode.Core.Common;

namespace GradientNode.Core.Integrations;

/// <summary>
/// The Git LFS batch API over http(s): <c>POST &lt;repo&gt;.git/info/lfs/objects/batch</c> (download, basic transfer),
/// then <c>GET</c> of each object's <c>href</c> with the <c>header</c>s the server gave. Redirects are followed here, not
/// by the handler: the repository's basic credentials go only to the repository's own origin, and the batch response's
/// headers only to the origin of the <c>href</c> they came with, never to where a redirect points.
/// </summary>
internal sealed class LfsBatchClient(HttpMessageInvoker http, GitCredentials credentials, Uri endpoint) : ILfsObjectStore
{
    private const string MediaType = "application/vnd.git-lfs+json";
    private const int MaxRedirects = 5;
    private const int BatchSize = 100;

    /// <summary>The most a batch answer (100 objects: ids, hrefs, headers) may take; the server is the spec author's choice.</summary>
    internal const int MaxBatchAnswerBytes = 4 * 1024 * 1024;

    /// <summary>The most of an error answer that is read for its message.</summary>
    private const int MaxErrorAnswerBytes = 64 * 1024;
    private readonly Dictionary<string, LfsBatchAction> _downloads = new(StringComparer.Ordinal);

    /// <summary>The LFS server of an http(s) remote, per the spec's server discovery: <c>&lt;url&gt;[.git]/info/lfs/</c>.</summary>
    public static Uri? EndpointOf(string url)
    {
        if (GitCredentials.HttpOrigin(url) is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var path = uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri((path.EndsWith(".git", StringComparison.Ordinal) ? path : path + ".git") + "/info/lfs/");
    }

    public async Task<IReadOnlyDictionary<string, string>> LocateAsync(IReadOnlyList<LfsPointer> objects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var missing = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chunk in objects.Chunk(BatchSize))
        {
            var response = await BatchAsync(chunk, cancellationToken).ConfigureAwait(false);
            var answered = (response.Objects ?? []).Where(o => o.Oid is not null).GroupBy(o => o.Oid!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            foreach (var pointer in chunk)
            {
                if (!answered.TryGetValue(pointer.Oid, out var answer))
                {
                    missing[pointer.Oid] = "the LFS server did not answer for it";
                }
                else if (answer.Error is { } error)
                {
                    missing[pointer.Oid] = $"the LFS server answered {error.Code}{(string.IsNullOrWhiteSpace(error.Message) ? string.Empty : ": " + error.Message)}";
                }
                else if (answer.Actions?.Download is not { Href: { Length: > 0 } href } download || !Uri.TryCreate(href, UriKind.Absolute, out _) || GitCredentials.HttpOrigin(href) is null)
                {
                    missing[pointer.Oid] = "the LFS server gave no http(s) download link";
                }
                else
                {
                    lock (_downloads)
                    {
                        _downloads[pointer.Oid] = download;
                    }
                }
            }
        }

        return missing;
    }

    public async Task<Stream> OpenAsync(LfsPointer pointer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pointer);
        LfsBatchAction action;
        lock (_downloads)
        {
            action = _downloads[pointer.Oid];
        }

        var href = new Uri(action.Href!);
        var response = await SendAsync(HttpMethod.Get, href, action.Header, null, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var code = (int)response.StatusCode;
            response.Dispose();
            throw new IntegrationFetchException($"downloading LFS object {pointer.Oid} from {Shown(href)} failed: HTTP {code}", permanent: code is 401 or 403 or 404);
        }

        return await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<LfsBatchResponse> BatchAsync(IReadOnlyList<LfsPointer> objects, CancellationToken cancellationToken)
    {
        var url = new Uri(endpoint, "objects/batch");
        var body = new LfsBatchRequest("download", ["basic"], [.. objects.Select(o => new LfsBatchObjectId(o.Oid, o.Size))]);
        using var response = await SendAsync(HttpMethod.Post, url, null, body, cancellationToken).ConfigureAwait(false);
        var code = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            try
            {
                var bytes = await BoundedContent.ReadAsync(response.Content, MaxBatchAnswerBytes, cancellationToken).ConfigureAwait(false);
                return JsonSerializer.Deserialize(bytes, LfsJsonContext.Default.LfsBatchResponse)
                    ?? throw new IntegrationFetchException($"the LFS batch API at {Shown(url)} answered an empty body");
            }
            catch (JsonException ex)
            {
                throw new IntegrationFetchException($"the LFS batch API at {Shown(url)} answered something that is not its JSON: {ex.Message}", inner: ex);
            }
            catch (InvalidDataException ex)
            {
                throw new IntegrationFetchException($"the LFS batch API at {Shown(url)} failed: {ex.Message}", inner: ex);
            }
        }

        var message = await ErrorMessageAsync(response, cancellationToken).ConfigureAwait(false);
        throw code switch
        {
            401 or 403 => new IntegrationFetchException($"the LFS batch API at {Shown(url)} refused the credentials (HTTP {code}{message}): {credentials.RefusedHint}", permanent: true),
            404 => new IntegrationFetchException($"no Git LFS server at {Shown(url)} (HTTP 404{message})", permanent: true),
            _ => new IntegrationFetchException($"the LFS batch API at {Shown(url)} failed: HTTP {code}{message}"),
        };
    }

    /// <summary>
    /// One request, following up to <see cref="MaxRedirects"/> redirects (a POST only 307 and 308, which keep it a POST).
    /// Authorization: the batch's own header when it gave one and the URL is still the href's origin; else basic
    /// credentials, only on the repository's own origin.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, IReadOnlyDictionary<string, string>? headers, LfsBatchRequest? body, CancellationToken cancellationToken)
    {
        var origin = GitCredentials.HttpOrigin(url.AbsoluteUri)!;
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(method, url);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaType));
            var sameOrigin = GitCredentials.HttpOrigin(url.AbsoluteUri) is { } here && GitCredentials.SameOrigin(origin, here);
            if (sameOrigin && headers is not null)
            {
                foreach (var (name, value) in headers)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }
            }

            if (request.Headers.Authorization is null && credentials.For(url.AbsoluteUri) is var (user, password))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
            }

            if (body is not null)
            {
                request.Content = JsonContent.Create(body, LfsJsonContext.Default.LfsBatchRequest, new MediaTypeHeaderValue(MediaType));
            }

            var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            var follow = code is 307 or 308 || (body is null && code is 301 or 302 or 303);
            if (!follow || response.Headers.Location is not { } location)
            {
                return response;
            }

            response.Dispose();
            if (hop >= MaxRedirects)
            {
                throw new IntegrationFetchException($"too many redirects from {Shown(url)}");
            }

            url = location.IsAbsoluteUri ? location : new Uri(url, location);
            if (GitCredentials.HttpOrigin(url.AbsoluteUri) is null)
            {
                throw new IntegrationFetchException($"a redirect from the LFS server points to a non-http(s) URL {Shown(url)}", permanent: true);
            }
        }
    }

    private static async Task<string> ErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await BoundedContent.ReadAsync(response.Content, MaxErrorAnswerBytes, cancellationToken).ConfigureAwait(false);
            var error = JsonSerializer.Deserialize(bytes, LfsJsonContext.Default.LfsBatchResponse);
            return string.IsNullOrWhiteSpace(error?.Message) ? string.Empty : ": " + error.Message;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or InvalidDataException)
        {
            return string.Empty;
        }
    }

    /// <summary>A URL for messages: no user info, no query (a signed href's query is a credential).</summary>
    private static string Shown(Uri url) => $"{url.Scheme}://{url.Authority}{url.AbsolutePath}";
}
