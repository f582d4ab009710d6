using System.Net;
using System.Text;
using System.Threading.Channels;
using GradientNode.Core.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Tls;

/// <summary>
/// gRPC-style traffic: HTTP/2 over TLS from the client, HTTP/2 cleartext (prior knowledge) to a replica that speaks
/// nothing else, both directions streaming, and trailers carried back. The replica is Kestrel in this process.
/// </summary>
[TestFixture]
[Category("Proxy")]
[NonParallelizable]
internal sealed class H2cStreamingTests
{
    private WebApplication? _replica;
    private HttpsFixture? _proxy;

    [TearDown]
    public async Task TearDown()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        if (_replica is not null)
        {
            await _replica.StopAsync();
            await _replica.DisposeAsync();
        }
    }

    [Test]
    public async Task Https_H2cRoute_StreamsBothWaysAndCarriesTrailers()
    {
        var address = await StartH2cOnlyReplicaAsync();
        _proxy = await HttpsFixture.StartAsync(null, new DeploymentRoute("grpc", "grpc", true, [new ReplicaRoute("grpc-0", address, true)], null, H2c: true));
        var client = _proxy.Client(_proxy.HttpsPort, version: HttpVersion.Version20);
        var requestBody = new DuplexContent();
        using var request = new HttpRequestMessage(HttpMethod.Post, _proxy.Https("grpc", "/echo.Echo/Chat")) { Content = requestBody };
        request.Content.Headers.ContentType = new("application/grpc");

        await requestBody.SendAsync("one\n");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await reader.ReadLineAsync();
        await requestBody.SendAsync("two\n");
        var second = await reader.ReadLineAsync();
        requestBody.Complete();
        var rest = await reader.ReadToEndAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.Version, Is.EqualTo(HttpVersion.Version20));
            Assert.That(first, Is.EqualTo("echo one (HTTP/2)"), "the first reply arrives before the request body ends");
            Assert.That(second, Is.EqualTo("echo two (HTTP/2)"));
            Assert.That(rest, Is.Empty);
            Assert.That(response.TrailingHeaders.GetValues("grpc-status"), Is.EqualTo(new[] { "0" }));
            Assert.That(response.TrailingHeaders.GetValues("grpc-message"), Is.EqualTo(new[] { "2 messages" }));
        });
    }

    [Test]
    public async Task Https_SameReplicaWithoutH2c_ReplicaRefusesHttp11()
    {
        var address = await StartH2cOnlyReplicaAsync();
        _proxy = await HttpsFixture.StartAsync(null, new DeploymentRoute("grpc", "grpc", true, [new ReplicaRoute("grpc-0", address, true)]));

        using var response = await _proxy.Client(_proxy.HttpsPort, version: HttpVersion.Version20)
            .PostAsync(_proxy.Https("grpc", "/echo.Echo/Chat"), new StringContent("one\n"));

        // Kestrel answers HTTP/1.1 on an HTTP/2-only port with 400: the h2c flag is what makes the call work.
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    private async Task<string> StartH2cOnlyReplicaAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        _replica = builder.Build();
        _replica.MapPost("/echo.Echo/Chat", async (HttpContext context) =>
        {
            context.Response.ContentType = "application/grpc";
            await context.Response.StartAsync();
            using var lines = new StreamReader(context.Request.Body);
            var count = 0;
            while (await lines.ReadLineAsync() is { } line)
            {
                count++;
                await context.Response.WriteAsync($"echo {line} ({context.Request.Protocol})\n");
                await context.Response.Body.FlushAsync();
            }

            context.Response.AppendTrailer("grpc-status", "0");
            context.Response.AppendTrailer("grpc-message", $"{count} messages");
        });
        await _replica.StartAsync();
        var url = new Uri(_replica.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return $"127.0.0.1:{url.Port}";
    }

    /// <summary>A request body written line by line, each flushed at once (HttpClient sends HTTP/2 data on flush).</summary>
    private sealed class DuplexContent : HttpContent
    {
        private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

        public ValueTask SendAsync(string line) => _lines.Writer.WriteAsync(line);

        public void Complete() => _lines.Writer.Complete();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await foreach (var line in _lines.Reader.ReadAllAsync())
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(line));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
