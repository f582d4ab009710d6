using GradientNode.Daemon.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

[TestFixture]
[Category("Unit")]
internal sealed class StreamingAnswerTests
{
    [Test]
    public async Task RunAsync_DaemonStoppingBeforeTheAnswerStarts_Answers503WithAShortReason()
    {
        // console10's O1: a logs call during the daemon's shutdown was answered "500 Internal Server Error" (the cancelled
        // listing of the containers escaped), which the web console showed in its log pane.
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        lifetime.StopApplication();
        var context = Context(lifetime);

        await StreamingAnswer.RunAsync(context, async token =>
        {
            await Task.Yield();
            token.ThrowIfCancellationRequested();
        });

        context.Response.Body.Position = 0;
        var text = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.Multiple(() =>
        {
            Assert.That(context.Response.StatusCode, Is.EqualTo(StatusCodes.Status503ServiceUnavailable));
            Assert.That(text, Is.EqualTo("the daemon is stopping: ask again once it is back (a restart takes a few seconds)\n"));
            Assert.That(context.Response.Headers.RetryAfter.ToString(), Is.EqualTo("5"));
        });
    }

    [Test]
    public async Task RunAsync_ClientGoneAway_WritesNothing()
    {
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        using var gone = new CancellationTokenSource();
        var context = Context(lifetime);
        context.RequestAborted = gone.Token;
        await gone.CancelAsync();

        await StreamingAnswer.RunAsync(context, token => Task.FromCanceled(token));

        Assert.Multiple(() =>
        {
            Assert.That(context.Response.StatusCode, Is.EqualTo(StatusCodes.Status200OK));
            Assert.That(context.Response.Body.Length, Is.Zero);
        });
    }

    [Test]
    public void RunAsync_OtherFailure_IsNotTakenForAStop()
    {
        var context = Context(new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance));

        Assert.ThrowsAsync<InvalidOperationException>(() => StreamingAnswer.RunAsync(context, _ => throw new InvalidOperationException("boom")));
    }

    private static DefaultHttpContext Context(IHostApplicationLifetime lifetime) => new()
    {
        RequestServices = new ServiceCollection().AddSingleton(lifetime).BuildServiceProvider(),
        Response = { Body = new MemoryStream() },
    };
}
