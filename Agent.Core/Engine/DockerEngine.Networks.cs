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

    public async Task<bool> RemoveNetworkIfUnusedAsync(NetworkDetails network, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(network);
        var id = network.Id;

        // A stopped or never started container on it would not start without it: every container counts, not just running
        // ones. The engine's "network" filter misses a container created but never started, so each one's own settings say.
        var all = await CallAsync("list containers", c => c.Containers.ListContainersAsync(new ContainersListParameters { All = true }, cancellationToken), cancellationToken).ConfigureAwait(false);
        var on = all.Where(c => Uses(c, network)).ToList();
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

    /// <summary>Whether a container is on the network, by its endpoints or, for one never started, its host config (id, short id or name).</summary>
    private static bool Uses(ContainerListResponse container, NetworkDetails network)
    {
        var mode = container.HostConfig?.NetworkMode ?? "";
        return (container.NetworkSettings?.Networks ?? new Dictionary<string, EndpointSettings>()).Any(n => n.Value?.NetworkID == network.Id || n.Key == network.Name)
            || mode == network.Name
            || (mode.Length >= 12 && network.Id.StartsWith(mode, StringComparison.Ordinal));
    }

    private static NetworkDetails ToNetwork(NetworkResponse n) => new(
        n.ID,
        n.Name,
        n.Driver ?? "",
        n.Created,
        new Dictionary<string, string>(n.Options ?? new Dictionary<string, string>(), StringComparer.Ordinal),
        new Dictionary<string, string>(n.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal));
}
