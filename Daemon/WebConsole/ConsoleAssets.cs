using System.Reflection;

namespace GradientNode.Daemon.WebConsole;

/// <summary>The page's static files, embedded in the binary as <c>console/NAME</c> (Daemon.csproj): no CDN, nothing fetched at run time.</summary>
internal static class ConsoleAssets
{
    private const string Prefix = "console/";

    /// <summary>The embedded file <paramref name="name"/> with its content type, or null.</summary>
    public static (Stream Content, string ContentType)? Open(string name)
    {
        if (name.Contains("..", StringComparison.Ordinal))
        {
            return null;
        }

        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(Prefix + name);
        return stream is null ? null : (stream, ContentTypeOf(name));
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
