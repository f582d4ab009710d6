using System.Globalization;
using System.Text.RegularExpressions;
using GradientNode.Core.Specs;

namespace GradientNode.Daemon.WebConsole;

/// <summary>
/// The whitelist of daemon calls the console forwards (docs/design/console.md). A browser path maps to a fixed
/// daemon route; a deployment name must be one the spec parser accepts, a dataset, workflow or job name a plain name;
/// every name is escaped again into one daemon path segment; only named query parameters with digit or boolean values
/// pass. Anything else is null, and the console answers 404: the page can never reach secrets, registries,
/// apply, delete or an arbitrary path.
/// </summary>
internal static partial class ConsoleRoutes
{
    /// <summary>Maps <paramref name="method"/> and the browser's <paramref name="path"/> (below <c>/api</c>) to a daemon route, or null.</summary>
    public static ConsoleRoute? Map(string method, string path, Func<string, string?> query)
    {
        var parts = path.Trim('/').Split('/');
        if (method == "GET")
        {
            return parts switch
            {
                ["deployments"] => Get("/v1/deployments"),
                ["node"] => Get("/v1/node"),
                ["datasets"] => Get("/v1/datasets"),
                ["workflows"] => Get("/v1/workflows"),
                ["history"] => Get("/v1/history"),
                ["deployments", var name] when DeploymentPart(name) is { } d => Get($"/v1/deployments/{d}"),
                ["deployments", var name, "logs"] when DeploymentPart(name) is { } d => Logs(d, query),
                ["deployments", var name, "spec"] when DeploymentPart(name) is { } d => Get($"/v1/deployments/{d}/spec?onDisk=true"),
                ["datasets", var name, "versions"] when IsName(name) => Get($"/v1/datasets/{Escape(name)}/versions"),
                ["datasets", var name, "users"] when IsName(name) => Get($"/v1/datasets/{Escape(name)}/users"),
                ["workflows", var name, "runs"] when IsName(name) => Get($"/v1/workflows/{Escape(name)}/runs"),
                ["workflows", var name, "runs", var run] when IsName(name) && Digits(run) is { } n => Get($"/v1/workflows/{Escape(name)}/runs/{n}"),
                ["workflows", var name, "runs", var run, "logs"] when IsName(name) && Digits(run) is { } n => JobLogs($"/v1/workflows/{Escape(name)}/runs/{n}/logs", query),
                _ => null,
            };
        }

        if (method == "POST" && parts is ["deployments", var target, var action] && DeploymentPart(target) is { } escaped)
        {
            var daemonPath = $"/v1/deployments/{escaped}/{action}";
            return action switch
            {
                "restart" or "enable" or "disable" => new ConsoleRoute(HttpMethod.Post, daemonPath, Stream: false),
                "scale" when Digits(query("replicas")) is { } n => new ConsoleRoute(HttpMethod.Post, $"{daemonPath}?replicas={n}", Stream: false),
                _ => null,
            };
        }

        return null;
    }

    /// <summary>A dataset, workflow or job name as the page sends it (already URL-decoded): letters, digits, space, '.', '_', '-'; not '.' or '..'.</summary>
    public static bool IsName(string name) => name is not ("." or "..") && PlainName().IsMatch(name);

    /// <summary>
    /// A deployment name as the page sends it (URL-decoded but for <c>%2F</c>, which routing keeps so that a segment never
    /// splits) as one escaped daemon path segment, or null. Any name the spec parser takes
    /// (<see cref="DeploymentName.Validate"/>: 1–128 characters, no control character, a Latin letter or digit) is one a
    /// user can have: <c>Café Crème (v2)</c> was listed and then refused as "not forwarded" when its link was opened. The
    /// escaping keeps it one segment whatever it holds (<c>..</c> has no slug and is no name; a slash travels as
    /// <c>%2F</c>, which the daemon decodes as it does for every client: <see cref="Api.RouteName"/>).
    /// </summary>
    public static string? DeploymentPart(string segment)
    {
        var name = Api.RouteName.Decode(segment);
        return DeploymentName.Validate(name) is null ? Escape(name) : null;
    }

    private static ConsoleRoute Get(string path) => new(HttpMethod.Get, path, Stream: false);

    private static ConsoleRoute Logs(string escapedName, Func<string, string?> query)
    {
        var parts = new List<string>();
        if (Digits(query("tail")) is { } tail)
        {
            parts.Add($"tail={tail}");
        }

        if (Digits(query("replica")) is { } replica)
        {
            parts.Add($"replica={replica}");
        }

        var follow = query("follow") is "true";
        if (follow)
        {
            parts.Add("follow=true");
        }

        var suffix = parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
        return new ConsoleRoute(HttpMethod.Get, $"/v1/deployments/{escapedName}/logs{suffix}", Stream: true);
    }

    /// <summary>A run's logs: only <c>job</c> (a plain name), <c>tail</c> (digits) and <c>follow=true</c> pass.</summary>
    private static ConsoleRoute JobLogs(string path, Func<string, string?> query)
    {
        var parts = new List<string>();
        if (query("job") is { } job && IsName(job))
        {
            parts.Add($"job={Escape(job)}");
        }

        if (Digits(query("tail")) is { } tail)
        {
            parts.Add($"tail={tail}");
        }

        if (query("follow") is "true")
        {
            parts.Add("follow=true");
        }

        return new ConsoleRoute(HttpMethod.Get, parts.Count == 0 ? path : $"{path}?{string.Join('&', parts)}", Stream: true);
    }

    private static string? Digits(string? value) =>
        value is { Length: > 0 and <= 6 } && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n.ToString(CultureInfo.InvariantCulture)
            : null;

    private static string Escape(string name) => Uri.EscapeDataString(name);

    [GeneratedRegex(@"^[A-Za-z0-9 ._-]{1,128}\z")]
    private static partial Regex PlainName();
}
