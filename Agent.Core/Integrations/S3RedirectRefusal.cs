using System.Net;
using Amazon.Runtime;

namespace GradientNode.Core.Integrations;

/// <summary>
/// The HTTP client of <see cref="S3Fetcher"/>'s AWSSDK client: a 3xx answer ends the request with an
/// <see cref="S3RedirectException"/> before AWSSDK sees it. AWSSDK took a 307 up to re-send it (its redirect handling
/// reads the <c>Location</c> as an S3 host), so one to any other host failed with <c>Invalid S3 URI - hostname does not
/// appear to be a valid S3 endpoint</c>; the other redirects came back as <c>301 MovedPermanently: Error making request
/// …</c> and were retried as if the endpoint might heal. A spec's endpoint is the author's choice, so the node follows no
/// redirect with credentials, and says where the endpoint pointed instead (the host only).
/// </summary>
internal sealed class S3RedirectRefusal : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
    {
        ArgumentNullException.ThrowIfNull(clientConfig);
        var sockets = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = clientConfig.MaxConnectionsPerServer ?? int.MaxValue,
        };
        return new HttpClient(new Handler(sockets)) { Timeout = clientConfig.Timeout ?? TimeSpan.FromSeconds(100) };
    }

    /// <summary>One client per AWSSDK client, disposed with it (one fetch).</summary>
    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => true;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    public override string? GetConfigUniqueString(IClientConfig clientConfig) => null;

    private sealed class Handler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is < 300 or > 399 or 304)
            {
                return response;
            }

            using (response)
            {
                var from = request.RequestUri!;
                var to = response.Headers.Location is { } location ? (location.IsAbsoluteUri ? location : new Uri(from, location)) : null;
                throw new S3RedirectException(status, $"{from.Scheme}://{from.Authority}", to is null ? null : HostOf(to));
            }
        }

        /// <summary>Host and port only: no user info, path or query (a Location may carry a token or a password).</summary>
        private static string HostOf(Uri location) => location.IsDefaultPort || location.Port < 0 ? location.IdnHost : $"{location.IdnHost}:{location.Port}";
    }
}
