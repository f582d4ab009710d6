using System.Net;
using GradientNode.Core.Routing;
using GradientNode.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;
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
/// nothing else, and trailers carried back. The replica is Kestrel in this process (a real gRPC service for the
/// duplex call: Grpc.AspNetCore, and Grpc.Net.Client on the client side).
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
        // One instance serves every test: clear the fields, or a test that fails before setting one disposes the last test's again.
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
            _proxy = null;
        }

        if (_replica is not null)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _replica.StopAsync(grace.Token);
            await _replica.DisposeAsync();
            _replica = null;
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
    public async Task Https_H2cRoute_GrpcDuplexCall_EachReplyArrivesWhileTheRequestStreamIsOpen()
    {
        var address = await StartReplicaAsync(app => app.MapGrpcService<GrpcEchoService>(), grpc: true);
        _proxy = await HttpsFixture.StartAsync(null, new DeploymentRoute("grpc", "grpc", true, [new ReplicaRoute("grpc-0", address, true)], null, H2c: true));
        using var channel = GrpcChannel.ForAddress(_proxy.Https("grpc"), new GrpcChannelOptions { HttpHandler = _proxy.Handler(_proxy.HttpsPort), DisposeHttpClient = false });
        using var timeout = new CancellationTokenSource(TestTimeouts.Request);
        using var call = channel.CreateCallInvoker().AsyncDuplexStreamingCall(GrpcEchoServiceBase.ChatMethod, null, new CallOptions(cancellationToken: timeout.Token));

        var replies = new List<string>();
        foreach (var message in new[] { "one", "two", "three" })
        {
            await call.RequestStream.WriteAsync(message, timeout.Token);
            // The request stream stays open: a proxy that held the request body until its end (or a replica reached
            // without streaming) never passes this message on, and no reply comes.
            replies.Add(await NextReplyAsync(call, message, timeout.Token));
        }

        await call.RequestStream.CompleteAsync();
        var more = await call.ResponseStream.MoveNext(timeout.Token);

        Assert.Multiple(() =>
        {
            Assert.That(replies, Is.EqualTo(new[] { "echo one (HTTP/2)", "echo two (HTTP/2)", "echo three (HTTP/2)" }));
            Assert.That(more, Is.False, "the call ends after the request stream does");
            Assert.That(call.GetStatus().StatusCode, Is.EqualTo(StatusCode.OK), call.GetStatus().Detail);
            Assert.That(call.GetTrailers().GetValue("echo-count"), Is.EqualTo("3"), "the replica's trailers reach the client");
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

    [Test]
    public async Task Https_H2cRouteToAnHttp11OnlyReplica_502SaysTheReplicaDidNotAnswerAsHttp2()
    {
        var address = await StartReplicaAsync(app => app.MapGet("/", () => "hello over HTTP/1.1"), protocols: HttpProtocols.Http1);
        _proxy = await HttpsFixture.StartAsync(null, new DeploymentRoute("grpcish", "grpcish", true, [new ReplicaRoute("grpcish-0", address, true)], H2c: true));

        using var response = await _proxy.Client(_proxy.HttpsPort, version: HttpVersion.Version20).GetAsync(_proxy.Https("grpcish", "/"));

        // Before: a 502 with an empty body; only the node's log said "did not complete the HTTP/2 handshake".
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(body, Does.StartWith("deployment 'grpcish': its replica did not answer as HTTP/2").And.Contain("protocol: h2c"));
        Assert.That(body, Does.Not.Contain(address), "no replica address reaches a network client");
    }

    private static async Task<string> NextReplyAsync(AsyncDuplexStreamingCall<string, string> call, string message, CancellationToken timeout)
    {
        try
        {
            Assert.That(await call.ResponseStream.MoveNext(timeout), Is.True, $"the call ended before a reply to '{message}'");
            return call.ResponseStream.Current;
        }
        catch (RpcException e) when (timeout.IsCancellationRequested)
        {
            Assert.Fail($"no reply to '{message}' within {TestTimeouts.Request.TotalSeconds} s while the request stream was open: the message was held back ({e.Status.Detail})");
            throw;
        }
    }

    private Task<string> StartH2cOnlyReplicaAsync() => StartReplicaAsync(app => app.MapPost("/echo.Echo/Chat", EchoLinesAsync));

    private static async Task EchoLinesAsync(HttpContext context)
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
    }

    /// <summary>A Kestrel replica on loopback that speaks only HTTP/2 without TLS (h2c with prior knowledge), or only <paramref name="protocols"/>.</summary>
    private async Task<string> StartReplicaAsync(Action<WebApplication> map, bool grpc = false, HttpProtocols protocols = HttpProtocols.Http2)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = protocols));
        if (grpc)
        {
            builder.Services.AddGrpc();
        }

        _replica = builder.Build();
        map(_replica);
        await _replica.StartAsync();
        var url = new Uri(_replica.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return $"127.0.0.1:{url.Port}";
    }
}
