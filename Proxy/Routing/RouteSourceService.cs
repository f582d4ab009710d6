using Microsoft.Extensions.Hosting;

namespace GradientNode.Proxy.Routing;

/// <summary>Connects the route file to YARP for the lifetime of the host.</summary>
internal sealed class RouteSourceService : IHostedService, IDisposable
{
    private readonly FileRouteSource _source;

    public RouteSourceService(FileRouteSource source) => _source = source;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _source.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _source.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _source.Dispose();
}
