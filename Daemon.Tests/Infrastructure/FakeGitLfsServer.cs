using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GradientNode.Tests.Infrastructure;

/// <summary>
/// A private git + Git LFS server on loopback: <c>git http-backend</c> (smart HTTP) for the bare repositories under a
/// folder and the LFS batch API (docs/api/batch.md) serving the objects <c>git lfs</c> wrote into them, both behind
/// basic auth. A second listener on another port plays "another host": it serves the same objects without auth and
/// records every header it gets. Switches: object hrefs on the main host, redirected (302) to the other host, or
/// pointing at it; objects answered with a per-object 404; a different LFS password; git's first request redirected.
/// </summary>
internal sealed class FakeGitLfsServer : IAsyncDisposable
{
    public const string LfsToken = "lfs-href-token";
    private readonly string _root;
    private readonly string _user;
    private readonly string _password;
    private WebApplication _main = null!;
    private WebApplication _other = null!;

    private FakeGitLfsServer(string root, string user, string password) => (_root, _user, _password) = (root, user, password);

    public enum HrefMode
    {
        MainHost,
        RedirectToOtherHost,
        OnOtherHost,
    }

    public string BaseUrl { get; private set; } = string.Empty;

    public string OtherBaseUrl { get; private set; } = string.Empty;

    public HrefMode Hrefs { get; set; }

    /// <summary>Oids the batch API answers with <c>error: {code: 404}</c>.</summary>
    public ConcurrentDictionary<string, bool> Missing { get; } = new();

    /// <summary>The password the LFS batch API accepts (the git endpoints take the real one).</summary>
    public string? LfsPassword { get; set; }

    /// <summary>When set, <c>/info/refs</c> answers 302 to the same path on the other host.</summary>
    public bool RedirectGitToOtherHost { get; set; }

    /// <summary>"METHOD path" of every request the main host got.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>"path Authorization=… X-Lfs-Token=…" of every request the other host got.</summary>
    public ConcurrentQueue<string> OtherHostRequests { get; } = new();

    public static async Task<FakeGitLfsServer> StartAsync(string root, string user, string password)
    {
        var server = new FakeGitLfsServer(root, user, password);
        (server._main, server.BaseUrl) = await ListenAsync(server.MainAsync);
        (server._other, server.OtherBaseUrl) = await ListenAsync(server.OtherAsync);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _main.DisposeAsync();
        await _other.DisposeAsync();
    }

    private static async Task<(WebApplication App, string Url)> ListenAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, url.TrimEnd('/'));
    }

    private async Task MainAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        Requests.Enqueue($"{context.Request.Method} {path}");
        if (RedirectGitToOtherHost && path.EndsWith("/info/refs", StringComparison.Ordinal))
        {
            context.Response.Redirect(OtherBaseUrl + path + context.Request.QueryString);
            return;
        }

        var lfs = path.EndsWith("/info/lfs/objects/batch", StringComparison.Ordinal);
        if (context.Request.Headers.Authorization.ToString() != Basic(_user, lfs ? LfsPassword ?? _password : _password))
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"gradient-test\"";
            if (lfs)
            {
                await context.Response.WriteAsJsonAsync(new { message = "Credentials needed" });
            }

            return;
        }

        if (lfs)
        {
            await BatchAsync(context, path[1..path.IndexOf(".git/", StringComparison.Ordinal)]);
        }
        else if (path.StartsWith("/lfs-objects/", StringComparison.Ordinal))
        {
            if (Hrefs == HrefMode.RedirectToOtherHost)
            {
                context.Response.Redirect(OtherBaseUrl + path);
                return;
            }

            await ObjectAsync(context, path["/lfs-objects/".Length..], requireToken: true);
        }
        else
        {
            await HttpBackendAsync(context, path);
        }
    }

    private async Task OtherAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        OtherHostRequests.Enqueue($"{path} Authorization={context.Request.Headers.Authorization} X-Lfs-Token={context.Request.Headers["X-Lfs-Token"]}");
        if (path.StartsWith("/lfs-objects/", StringComparison.Ordinal))
        {
            await ObjectAsync(context, path["/lfs-objects/".Length..], requireToken: false);
            return;
        }

        context.Response.StatusCode = 401;
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"other-host\"";
    }

    private async Task BatchAsync(HttpContext context, string repository)
    {
        var request = await JsonNode.ParseAsync(context.Request.Body);
        var objects = new JsonArray();
        foreach (var item in request!["objects"]!.AsArray())
        {
            var oid = item!["oid"]!.GetValue<string>();
            var size = item["size"]!.GetValue<long>();
            if (Missing.ContainsKey(oid) || ObjectFile(repository, oid) is null)
            {
                objects.Add(new JsonObject { ["oid"] = oid, ["size"] = size, ["error"] = new JsonObject { ["code"] = 404, ["message"] = "Object does not exist" } });
                continue;
            }

            var host = Hrefs == HrefMode.OnOtherHost ? OtherBaseUrl : BaseUrl;
            objects.Add(new JsonObject
            {
                ["oid"] = oid,
                ["size"] = size,
                ["authenticated"] = true,
                ["actions"] = new JsonObject
                {
                    ["download"] = new JsonObject { ["href"] = $"{host}/lfs-objects/{repository}/{oid}", ["header"] = new JsonObject { ["X-Lfs-Token"] = LfsToken }, ["expires_in"] = 3600 },
                },
            });
        }

        context.Response.ContentType = "application/vnd.git-lfs+json";
        await context.Response.WriteAsync(new JsonObject { ["transfer"] = "basic", ["objects"] = objects }.ToJsonString(), Encoding.UTF8);
    }

    private async Task ObjectAsync(HttpContext context, string repositoryAndOid, bool requireToken)
    {
        var slash = repositoryAndOid.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || ObjectFile(repositoryAndOid[..slash], repositoryAndOid[(slash + 1)..]) is not { } file || (requireToken && context.Request.Headers["X-Lfs-Token"] != LfsToken))
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        await context.Response.SendFileAsync(file);
    }

    private string? ObjectFile(string repository, string oid) =>
        oid.Length == 64 && oid.All(char.IsAsciiHexDigitLower) && !repository.Contains("..", StringComparison.Ordinal)
            && Path.Combine(_root, repository + ".git", "lfs", "objects", oid[..2], oid[2..4], oid) is var file && File.Exists(file) ? file : null;

    private async Task HttpBackendAsync(HttpContext context, string path)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var start = new ProcessStartInfo("git", ["http-backend"]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["GIT_PROJECT_ROOT"] = _root;
        start.Environment["GIT_HTTP_EXPORT_ALL"] = "1";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["REQUEST_METHOD"] = context.Request.Method;
        start.Environment["PATH_INFO"] = path;
        start.Environment["QUERY_STRING"] = context.Request.QueryString.Value?.TrimStart('?') ?? string.Empty;
        start.Environment["CONTENT_TYPE"] = context.Request.ContentType ?? string.Empty;
        start.Environment["CONTENT_LENGTH"] = body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["REMOTE_USER"] = _user;
        start.Environment["REMOTE_ADDR"] = "127.0.0.1";
        if (context.Request.Headers.ContentEncoding.ToString() is { Length: > 0 } encoding)
        {
            start.Environment["HTTP_CONTENT_ENCODING"] = encoding;
        }

        using var process = Process.Start(start)!;
        var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardInput.BaseStream.WriteAsync(body.ToArray());
        process.StandardInput.Close();
        await copy;
        await errors;
        await process.WaitForExitAsync();
        var bytes = output.ToArray();
        var split = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        var head = Encoding.ASCII.GetString(bytes, 0, Math.Max(split, 0));
        foreach (var line in head.Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (name, value) = (line[..colon], line[(colon + 1)..].Trim());
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = int.Parse(value.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                context.Response.Headers[name] = value;
            }
        }

        await context.Response.Body.WriteAsync(bytes.AsMemory(split + 4));
    }

    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
}
