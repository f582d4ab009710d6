using Microsoft.AspNetCore.Builder;

namespace GradientNode.Daemon.Api;

/// <summary>
/// A name taken from a route segment. ASP.NET Core decodes every escape in a route value but <c>%2F</c> (so a segment
/// never splits in two): a name with a slash, such as <c>a/b</c>, reached the endpoints as <c>a%2Fb</c>, whose slug
/// (<c>a-2fb</c>) names no deployment, so <c>get</c>, <c>logs</c>, <c>restart</c> and <c>delete</c> could not find a
/// deployment that <c>apply</c> had created, and the secret, registry, dataset and workflow endpoints answered about
/// <c>a%2Fb</c>, a name nobody typed. <see cref="UseDecodedSlashes"/> decodes every route value of every endpoint in one
/// place, so that a name such as <c>../x</c> is refused as typed, not as <c>..%2Fx</c> (a name with a slash is invalid
/// wherever a slash could matter, so decoding never makes one valid).
/// </summary>
internal static class RouteName
{
    public static string Decode(string routeValue)
    {
        ArgumentNullException.ThrowIfNull(routeValue);
        return routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Routes here (so that what follows sees the matched route) and decodes <c>%2F</c> in every route value.</summary>
    public static void UseDecodedSlashes(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseRouting();
        app.Use((context, next) =>
        {
            var values = context.Request.RouteValues;
            foreach (var (key, value) in values.ToArray())
            {
                if (value is string text && text.Contains("%2F", StringComparison.OrdinalIgnoreCase))
                {
                    values[key] = Decode(text);
                }
            }

            return next(context);
        });
    }
}
