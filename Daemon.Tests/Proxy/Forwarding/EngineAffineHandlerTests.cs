using System.Net;
using GradientNode.Proxy.Forwarding;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Forwarding;

[TestFixture]
[Category("Unit")]
internal sealed class EngineAffineHandlerTests
{
    [Test]
    public async Task SendAsync_OnAnEngineThread_UsesThatThreadsPoolMadeOnce()
    {
        var slot = 1;
        var made = new List<int>();
        var shared = new Answering("shared");
        using var invoker = new HttpMessageInvoker(new EngineAffineHandler(shared, k =>
        {
            made.Add(k);
            return new Answering($"slot {k}");
        }, () => slot, slots: 2));

        var first = await SendAsync(invoker);
        var second = await SendAsync(invoker);
        slot = 0;
        var third = await SendAsync(invoker);

        Assert.Multiple(() =>
        {
            Assert.That(new[] { first, second, third }, Is.EqualTo(new[] { "slot 1", "slot 1", "slot 0" }));
            Assert.That(made, Is.EqualTo(new[] { 1, 0 }), "one pool per slot, made when its first request came");
            Assert.That(shared.Requests, Is.Zero);
        });
    }

    [TestCase(-1)]
    [TestCase(2)]
    public async Task SendAsync_OffTheEngineThreadsOrPastTheLastSlot_UsesTheSharedPool(int slot)
    {
        var made = 0;
        using var invoker = new HttpMessageInvoker(new EngineAffineHandler(new Answering("shared"), k =>
        {
            made++;
            return new Answering($"slot {k}");
        }, () => slot, slots: 2));

        Assert.That(await SendAsync(invoker), Is.EqualTo("shared"));
        Assert.That(made, Is.Zero);
    }

    [Test]
    public async Task Dispose_AfterRequestsOnTwoSlots_DisposesTheSharedPoolAndEachSlots()
    {
        var slot = 0;
        var shared = new Answering("shared");
        var perSlot = new List<Answering>();
        var invoker = new HttpMessageInvoker(new EngineAffineHandler(shared, k =>
        {
            var handler = new Answering($"slot {k}");
            perSlot.Add(handler);
            return handler;
        }, () => slot, slots: 2));
        await SendAsync(invoker);
        slot = 1;
        await SendAsync(invoker);

        invoker.Dispose();

        Assert.That(perSlot.Append(shared).Select(handler => handler.Disposed), Is.All.True);
    }

    private static async Task<string> SendAsync(HttpMessageInvoker invoker)
    {
        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://replica/"), CancellationToken.None);
        return await response.Content.ReadAsStringAsync();
    }

    private sealed class Answering(string name) : HttpMessageHandler
    {
        public int Requests { get; private set; }

        public bool Disposed { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(name) });
        }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
