using GradientNode.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace GradientNode.Tests.Cli;

/// <summary>A fake daemon on a unix socket serving one log route, for the followers of <c>logs -f</c> and <c>workflows logs -f</c>.</summary>
internal static class FakeLogDaemon
{
    /// <summary>
    /// Serves <paramref name="log"/> at <paramref name="route"/>; with <paramref name="cut"/>, then aborts the connection
    /// as a stopping daemon does. Each request's query string goes into <paramref name="asked"/> when given.
    /// </summary>
    public static WebApplication Build(string socket, string route, string log, TaskCompletionSource? cut, List<string>? asked = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socket));
        var app = builder.Build();
        app.MapGet(route, async (HttpContext context) =>
        {
            if (asked is not null)
            {
                lock (asked)
                {
                    asked.Add(context.Request.QueryString.Value ?? string.Empty);
                }
            }

            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync(log);
            await context.Response.Body.FlushAsync();
            if (cut is not null)
            {
                await TestTimeouts.HoldAsync("the client reads what was flushed before the stream is cut (it cannot say when it did)", TimeSpan.FromMilliseconds(300));
                context.Abort();
                cut.TrySetResult();
            }
        });
        return app;
    }
}
