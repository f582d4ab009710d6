using System.Net;
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
/// nothing else, and trailers carried back. The replica is Kestrel in this process.
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
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _replica.StopAsync(grace.Token);
            await _replica.DisposeAsync();
        }
    }

    [Test]
    public async Task Https_H2cRoute_ForwardsHttp2ToReplicaAndCarriesTrailers()
    {
        var address = await StartH2cOnlyReplicaAsync();
        _proxy = await HttpsFixture.StartAsync(null, new DeploymentRoute("grpc", "grpc", true, [new ReplicaRoute("grpc-0", address, true)], null, H2c: true));
        var client = _proxy.Client(_proxy.HttpsPort, version: HttpVersion.Version20);
        using var content = new StringContent("one\ntwo\n");
        content.Headers.ContentType = new("application/grpc");

        using var response = await client.PostAsync(_proxy.Https("grpc", "/echo.Echo/Chat"), content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.Version, Is.EqualTo(HttpVersion.Version20));
            Assert.That(body, Is.EqualTo("echo one (HTTP/2)\necho two (HTTP/2)\n"), "the replica was spoken to in HTTP/2");
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
}
