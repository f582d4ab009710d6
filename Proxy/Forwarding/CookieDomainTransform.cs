using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace GradientNode.Proxy.Forwarding;

/// <summary>
/// Every deployment answers at <c>&lt;slug&gt;.&lt;domain&gt;</c>, so all of a node's deployments share the parent domain,
/// and a browser takes a cookie that one sets with <c>Domain=&lt;domain&gt;</c> as set for every other: a replica could
/// set (or overwrite) cookies of another deployment's users (a session fixed to the attacker's, a CSRF token it knows),
/// which that deployment's app then reads as its own (found by the thirteenth adversary review). The proxy drops a
/// <c>Domain</c> attribute that names anything but the request's own host from each <c>Set-Cookie</c> the replica answers:
/// the cookie becomes host-only, for the deployment that set it, and everything else of it stays as it came.
/// </summary>
internal static class CookieDomainTransform
{
    public static void Add(TransformBuilderContext context) =>
        context.AddResponseTransform(transform =>
        {
            var headers = transform.HttpContext.Response.Headers;
            if (headers.SetCookie is { Count: > 0 } cookies)
            {
                var host = transform.HttpContext.Request.Host.Host;
                headers.SetCookie = new StringValues([.. cookies.Select(c => HostOnly(c ?? string.Empty, host))]);
            }

            return ValueTask.CompletedTask;
        });

    /// <summary><paramref name="setCookie"/> without a <c>Domain</c> attribute other than <paramref name="host"/> (a leading dot and case aside).</summary>
    public static string HostOnly(string setCookie, string host)
    {
        ArgumentNullException.ThrowIfNull(setCookie);
        ArgumentNullException.ThrowIfNull(host);
        var parts = setCookie.Split(';');
        var kept = parts.Take(1).Concat(parts.Skip(1).Where(a => !IsForeignDomain(a, host))).ToList();
        return kept.Count == parts.Length ? setCookie : string.Join(';', kept);
    }

    /// <summary>A <c>Domain=…</c> attribute (RFC 6265 §5.2.3: the name case-insensitive, spaces around it and the value) for another name than <paramref name="host"/>.</summary>
    private static bool IsForeignDomain(string attribute, string host)
    {
        var equals = attribute.IndexOf('=', StringComparison.Ordinal);
        var name = (equals < 0 ? attribute : attribute[..equals]).Trim();
        if (!name.Equals("Domain", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var value = equals < 0 ? string.Empty : attribute[(equals + 1)..].Trim().TrimStart('.');
        return !value.Equals(host, StringComparison.OrdinalIgnoreCase);
    }
}
