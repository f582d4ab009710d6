using GradientNode.Daemon.Cli;

namespace GradientNode.Daemon.WebConsole;

/// <summary>
/// <c>gradient-node console</c>: Kestrel on a loopback address in the CLI process. Serves the embedded page and
/// forwards the whitelisted calls (<see cref="ConsoleRoutes"/>) to the daemon's unix socket with the CLI's
/// <see cref="ApiClient"/>. Requests whose Host is not loopback (DNS rebinding) are refused; a POST must carry the
/// <c>X-Gradient-Console</c> header, which a cross-site form cannot send without a CORS preflight (never granted).
/// </summary>
internal static class ConsoleServer
{
    public const string ActionHeader = "X-Gradient-Console";

    public static WebApplication Build(ListenAddress listen, ApiClient api)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(listen.Address, listen.Port));
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";
            headers["X-Content-Type-Options"] = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-store";
            if (!IsLoopbackHost(context.Request.Host.Host))
            {
                context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
                await context.Response.WriteAsync("the console answers only to a loopback host name\n", context.RequestAborted);
                return;
            }

            await next(context);
        });
        app.Map("/api/{**path}", (HttpContext context, string? path) => ConsoleProxy.ForwardAsync(context, path ?? string.Empty, api));
        app.MapGet("/{**file}", (string? file) =>
        {
            var name = string.IsNullOrEmpty(file) ? "index.html" : file;
            return ConsoleAssets.Open(name) is { } asset ? Results.Stream(asset.Content, asset.ContentType) : Results.NotFound();
        });
        return app;
    }

    /// <summary>True for localhost, 127.x.x.x and ::1: what a browser sends when it was pointed at a loopback console.</summary>
    public static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));
}
