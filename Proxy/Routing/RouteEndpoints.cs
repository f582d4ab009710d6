using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Yarp.ReverseProxy.Model;

namespace GradientNode.Proxy.Routing;

/// <summary>
/// Hands each snapshot's routes the YARP endpoint built from them (route id = slug), so the gateway, which has
/// already found the deployment from the Host header, sets that endpoint itself and ASP.NET Core routing skips
/// its own host match: one host lookup per request.
/// </summary>
internal sealed class RouteEndpoints
{
    private volatile EndpointDataSource? _source;

    /// <summary>YARP's endpoint data source, known once <c>MapReverseProxy</c> ran; attaches the current snapshot.</summary>
    public void Connect(EndpointDataSource source, RouteSnapshot current)
    {
        _source = source;
        Attach(current);
    }

    /// <summary>Sets <see cref="CompiledRoute.Endpoint"/> of each route YARP has an endpoint for; call before publishing.</summary>
    public void Attach(RouteSnapshot snapshot)
    {
        if (_source is not { } source)
        {
            return;
        }

        foreach (var endpoint in source.Endpoints)
        {
            if (endpoint.Metadata.GetMetadata<RouteModel>() is { } model && snapshot.Find(model.Config.RouteId) is { } route)
            {
                route.Endpoint = endpoint;
            }
        }
    }
}
