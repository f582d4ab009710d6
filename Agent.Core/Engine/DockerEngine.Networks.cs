using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace GradientNode.Core.Engine;

public sealed partial class DockerEngine : IEngineNetworks
{
    public async Task<IReadOnlyList<NetworkDetails>> FindNetworksAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);

        // The engine's name filter matches parts of names too: keep the exact ones.
        var parameters = new NetworksListParameters { Filters = new Dictionary<string, IDictionary<string, bool>> { ["name"] = new Dictionary<string, bool> { [name] = true } } };
        var list = await CallAsync($"list networks named '{name}'", c => c.Networks.ListNetworksAsync(parameters, cancellationToken), cancellationToken).ConfigureAwait(false);
        return [.. list.Where(n => string.Equals(n.Name, name, StringComparison.Ordinal))
            .Select(ToNetwork)
            .OrderBy(n => n.Created)
            .ThenBy(n => n.Id, StringComparer.Ordinal)];
    }

    public async Task<string> CreateNetworkAsync(NetworkCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parameters = new NetworksCreateParameters
        {
            Name = request.Name,
            Driver = request.Driver,
            Options = new Dictionary<string, string>(request.Options),
            Labels = new Dictionary<string, string>(request.Labels),
        };
        var created = await CallAsync($"create network '{request.Name}'", c => c.Networks.CreateNetworkAsync(parameters, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(created.Warning))
        {
            LogNetworkWarning(_logger, request.Name, created.Warning);
        }

        LogNetworkCreated(_logger, request.Name, created.ID);
        return created.ID;
    }

    public async Task<bool> RemoveNetworkIfUnusedAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);

        // A stopped container on it would not start again without it: every container counts, not just running ones.
        var parameters = new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["network"] = new Dictionary<string, bool> { [id] = true } },
        };
        var on = await CallAsync($"list containers on network {ContainerIds.Short(id)}", c => c.Containers.ListContainersAsync(parameters, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (on.Count > 0)
        {
            return false;
        }

        return await CallAsync($"remove network {ContainerIds.Short(id)}", async c =>
        {
            try
            {
                await c.Networks.DeleteNetworkAsync(id, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                return true;
            }
            catch (DockerApiException ex) when (ex.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Conflict)
            {
                // "has active endpoints": a container joined it since the listing.
                return false;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    private static NetworkDetails ToNetwork(NetworkResponse n) => new(
        n.ID,
        n.Name,
        n.Driver ?? "",
        n.Created,
        new Dictionary<string, string>(n.Options ?? new Dictionary<string, string>(), StringComparer.Ordinal),
        new Dictionary<string, string>(n.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal));
}
