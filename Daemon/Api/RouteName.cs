namespace GradientNode.Daemon.Api;

/// <summary>
/// A deployment name taken from a route segment. ASP.NET Core decodes every escape in a route value but <c>%2F</c> (so a
/// segment never splits in two): a name with a slash, such as <c>a/b</c>, reached the endpoints as <c>a%2Fb</c>, whose
/// slug (<c>a-2fb</c>) names no deployment, so <c>get</c>, <c>logs</c>, <c>restart</c> and <c>delete</c> could not
/// find a deployment that <c>apply</c> had created. The model endpoints decode too, so that an id such as <c>../x</c> is
/// refused as typed, not as <c>..%2Fx</c> (a name with a slash is invalid there, so decoding never makes one valid).
/// </summary>
internal static class RouteName
{
    public static string Decode(string routeValue)
    {
        ArgumentNullException.ThrowIfNull(routeValue);
        return routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
    }
}
