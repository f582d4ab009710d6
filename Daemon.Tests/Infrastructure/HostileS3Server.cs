using System.Globalization;
using System.Security;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GradientNode.Tests.Infrastructure;

/// <summary>
/// An S3 endpoint on loopback that a spec author controls and that lies: <c>ListObjectsV2</c> lists <see cref="ObjectsPerPage"/>
/// objects of <see cref="ListedSize"/> bytes under <c>data/</c>, for <see cref="Pages"/> pages (or without end), and
/// <c>GetObject</c> answers <see cref="SentSize"/> bytes whatever the listing said or the range asked.
/// </summary>
internal sealed class HostileS3Server : IAsyncDisposable
{
    private WebApplication _app = null!;
    private int _requests;
    private int _signedRequests;

    public const string Bucket = "bucket";

    public const string Prefix = "data/";

    public string Endpoint { get; private set; } = string.Empty;

    public long ListedSize { get; init; }

    public long SentSize { get; init; }

    public int ObjectsPerPage { get; init; } = 1;

    /// <summary>Pages of the listing; 0: every page says more follow.</summary>
    public int Pages { get; init; } = 1;

    /// <summary>When set, every request is answered with this status and <see cref="PageBody"/> as HTML: a web app, not S3 (another deployment's replica, say).</summary>
    public int? PageStatus { get; init; }

    public string PageBody { get; init; } = string.Empty;

    /// <summary>How many listing pages were asked for.</summary>
    public int PagesServed { get; private set; }

    /// <summary>When set, every request is answered with this status (301, 307…) and <see cref="RedirectLocation"/> as its <c>Location</c>.</summary>
    public int? RedirectStatus { get; init; }

    public string RedirectLocation { get; init; } = string.Empty;

    /// <summary>How many requests came, and how many of them carried an <c>Authorization</c> header.</summary>
    public int Requests => _requests;

    public int SignedRequests => _signedRequests;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Run(HandleAsync);
        await _app.StartAsync();
        Endpoint = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        Interlocked.Increment(ref _requests);
        if (context.Request.Headers.Authorization.Count > 0)
        {
            Interlocked.Increment(ref _signedRequests);
        }

        if (RedirectStatus is { } redirect)
        {
            context.Response.StatusCode = redirect;
            if (RedirectLocation.Length > 0)
            {
                context.Response.Headers.Location = RedirectLocation;
            }

            return;
        }

        if (PageStatus is { } status)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(PageBody, context.RequestAborted);
            return;
        }

        if (path.TrimEnd('/') == "/" + Bucket && context.Request.Query.ContainsKey("list-type"))
        {
            var page = PagesServed++;
            var last = Pages > 0 && page + 1 >= Pages;
            var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
            xml.Append(CultureInfo.InvariantCulture, $"<Name>{Bucket}</Name><Prefix>{Prefix}</Prefix><KeyCount>{ObjectsPerPage}</KeyCount><MaxKeys>1000</MaxKeys>");
            xml.Append(CultureInfo.InvariantCulture, $"<IsTruncated>{(last ? "false" : "true")}</IsTruncated>");
            if (!last)
            {
                xml.Append(CultureInfo.InvariantCulture, $"<NextContinuationToken>page-{page + 1}</NextContinuationToken>");
            }

            for (var i = 0; i < ObjectsPerPage; i++)
            {
                xml.Append(CultureInfo.InvariantCulture,
                    $"<Contents><Key>{SecurityElement.Escape($"{Prefix}p{page}-o{i}.bin")}</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>\"0\"</ETag><Size>{ListedSize}</Size><StorageClass>STANDARD</StorageClass></Contents>");
            }

            xml.Append("</ListBucketResult>");
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync(xml.ToString(), context.RequestAborted);
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = SentSize;
        var chunk = new byte[64 * 1024];
        for (long sent = 0; sent < SentSize; sent += chunk.Length)
        {
            await context.Response.Body.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, SentSize - sent)), context.RequestAborted);
        }
    }
}
