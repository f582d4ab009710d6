using Microsoft.Extensions.Hosting;

namespace GradientNode.Proxy.Routing;

/// <summary>Applies the route file's table on start and on every change, for the lifetime of the host.</summary>
internal sealed class RouteSourceService : IHostedService, IDisposable
{
    private readonly FileRouteSource _source;
    private readonly RouteApplier _applier;

    public RouteSourceService(FileRouteSource source, RouteApplier applier)
    {
        _source = source;
        _applier = applier;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _source.Changed += _applier.Apply;
        _applier.Apply(_source.Current);
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
