using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GradientNode.Tests.Infrastructure;

/// <summary>
/// A reverse proxy on loopback in front of the test registry (pulls only: GET and HEAD) that sends the first
/// <c>holdAfter</c> bytes of one blob, then holds that download until <see cref="Release"/>: a pull through it stays
/// halfway for as long as the test needs to observe it, with no clock involved.
/// </summary>
internal sealed class GatedRegistryProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase) { "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection" };

    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly string _gatedPath;
    private readonly long _holdAfter;
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private GatedRegistryProxy(WebApplication app, string upstream, string gatedDigest, long holdAfter)
    {
        _app = app;
        _upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { BaseAddress = new Uri($"http://{upstream}/") };
        _gatedPath = "/blobs/" + gatedDigest;
        _holdAfter = holdAfter;
    }

    /// <summary><c>127.0.0.1:PORT</c>, the registry host of an image reference pulled through the proxy.</summary>
    public string Address { get; private set; } = string.Empty;

    /// <summary>Completes once the gated blob's first bytes went out and the rest is held.</summary>
    public Task Held => _held.Task;

    /// <summary>Lets the held download (and any later one) finish.</summary>
    public void Release() => _release.TrySetResult();

    /// <summary>Proxies to <paramref name="upstream"/> (<c>host:port</c>), holding the blob <paramref name="gatedDigest"/> after <paramref name="holdAfter"/> bytes.</summary>
    public static async Task<GatedRegistryProxy> StartAsync(string upstream, string gatedDigest, long holdAfter)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var proxy = new GatedRegistryProxy(app, upstream, gatedDigest, holdAfter);
        app.Run(proxy.ForwardAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy.Address = new Uri(address).Authority;
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), context.Request.Path.Value!.TrimStart('/') + context.Request.QueryString);
        foreach (var (name, values) in context.Request.Headers.Where(h => !HopByHop.Contains(h.Key)))
        {
            request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }

        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers).Where(h => !HopByHop.Contains(h.Key)))
        {
            context.Response.Headers[name] = values.ToArray();
        }

        await using var body = await response.Content.ReadAsStreamAsync(ct);
        if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path.Value!.EndsWith(_gatedPath, StringComparison.Ordinal) && response.IsSuccessStatusCode)
        {
            await CopyAsync(body, context.Response.Body, _holdAfter, ct);
            await context.Response.Body.FlushAsync(ct);
            _held.TrySetResult();
            await _release.Task.WaitAsync(ct);
        }

        await body.CopyToAsync(context.Response.Body, ct);
    }

    private static async Task CopyAsync(Stream from, Stream to, long count, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        while (count > 0)
        {
            var read = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), ct);
            if (read == 0)
            {
                return;
            }

            await to.WriteAsync(buffer.AsMemory(0, read), ct);
            count -= read;
        }
    }
}
