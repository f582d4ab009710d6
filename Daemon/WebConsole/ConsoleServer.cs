using GradientNode.Daemon.Cli;

namespace GradientNode.Daemon.WebConsole;

/// <summary>
/// <c>gradient-node console</c> (Kestrel on a loopback address in the CLI process) and the daemon-served console
/// (<see cref="ConsoleHostService"/>, the same app inside the daemon). Serves the embedded page and
/// forwards the whitelisted calls (<see cref="ConsoleRoutes"/>) to the daemon's unix socket with the CLI's
/// <see cref="ApiClient"/>. Requests whose Host is not loopback (DNS rebinding) are refused; a POST must carry the
/// <c>X-Gradient-Console</c> header, which a cross-site form cannot send without a CORS preflight (never granted).
/// </summary>
internal static class ConsoleServer
{
    public const string ActionHeader = "X-Gradient-Console";

    /// <summary>
    /// The console app on <paramref name="listen"/>. With <paramref name="allowRemote"/> (the daemon-served console's
    /// <c>console.allowRemote</c>) a Host that is an IP literal passes too: a DNS-rebinding page always sends a name.
    /// <paramref name="refusal"/> says which local users may use it (<see cref="ConsoleGate"/>): every other local user
    /// gets 403 before any HTTP is read.
    /// </summary>
    public static WebApplication Build(ListenAddress listen, ApiClient api, ConsoleGate.UserRefusal refusal, bool allowRemote = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(listen.Address, listen.Port, l => ConsoleGate.Use(l, refusal, allowRemote)));
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";
            headers["X-Content-Type-Options"] = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-store";
            if (!IsAllowedHost(context.Request.Host.Host, allowRemote))
            {
                context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
                await context.Response.WriteAsync(allowRemote ? "the console answers only to a loopback name or an IP address\n" : "the console answers only to a loopback host name\n", context.RequestAborted);
                return;
            }

            await next(context);
        });
        app.Map("/api/{**path}", (HttpContext context, string? path) => ConsoleProxy.ForwardAsync(context, path ?? string.Empty, api));
        // HEAD too: `curl -I` and link checkers ask it of the page, and a 405 there reads as a broken console.
        app.MapMethods("/{**file}", [HttpMethods.Get, HttpMethods.Head], (string? file) =>
        {
            var name = string.IsNullOrEmpty(file) ? "index.html" : file;
            return ConsoleAssets.Open(name) is { } asset ? Results.Stream(asset.Content, asset.ContentType) : Results.NotFound();
        });
        return app;
    }

    /// <summary>A loopback host; with <paramref name="allowRemote"/> also any IP literal (never a name other than localhost).</summary>
    public static bool IsAllowedHost(string host, bool allowRemote) =>
        IsLoopbackHost(host) || (allowRemote && System.Net.IPAddress.TryParse(host.Trim('[', ']'), out _));

    /// <summary>True for localhost, 127.x.x.x and ::1: what a browser sends when it was pointed at a loopback console.</summary>
    public static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));
}
