using System.Globalization;

namespace GradientNode.Daemon.Api;

/// <summary>
/// The <c>tail</c> of the log endpoints (<c>GET /v1/deployments/{name}/logs</c>, <c>GET /v1/workflows/{name}/runs/{run}/logs</c>):
/// absent, or a whole number of lines from 0 to <see cref="int.MaxValue"/>. Anything else (<c>-1</c>, <c>x</c>, <c>1e9</c>,
/// empty, too large, given twice) is a 400 naming the parameter and what it takes; before, it was ignored and the whole log
/// came, which a caller asking for the last lines did not ask for.
/// </summary>
internal static class TailQuery
{
    /// <summary>The most characters of a malformed value repeated in the error.</summary>
    private const int ShownChars = 32;

    /// <summary>
    /// The query's tail: true with <paramref name="tail"/> (null when absent), false with <paramref name="error"/> (the 400's text,
    /// without its newline) when the value is not a whole number of lines.
    /// </summary>
    public static bool TryRead(IQueryCollection query, out int? tail, out string error)
    {
        ArgumentNullException.ThrowIfNull(query);
        tail = null;
        error = string.Empty;
        if (!query.TryGetValue("tail", out var values))
        {
            return true;
        }

        var text = values.ToString();
        if (values.Count == 1 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var lines))
        {
            tail = lines;
            return true;
        }

        var shown = text.Length > ShownChars ? text[..ShownChars] + "…" : text;
        error = string.Create(CultureInfo.InvariantCulture, $"tail takes a whole number of lines from 0 to {int.MaxValue}, not '{shown}'");
        return false;
    }

    /// <summary>Answers 400 with <paramref name="error"/> as text.</summary>
    public static async Task RefuseAsync(HttpContext context, string error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(error + "\n", cancellationToken);
    }
}
