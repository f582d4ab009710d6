namespace GradientNode.Core.Engine;

/// <summary>
/// The engine's networks, as far as the node needs them: find its replica network by name and make it. A port of its
/// own beside <see cref="IContainerEngine"/>, so that the container fakes of the tests need not grow.
/// </summary>
public interface IEngineNetworks
{
    /// <summary>Every network named exactly <paramref name="name"/> (an engine before API 1.44 allows two of one name), oldest first.</summary>
    Task<IReadOnlyList<NetworkDetails>> FindNetworksAsync(string name, CancellationToken cancellationToken);

    /// <summary>Creates a network and returns its id.</summary>
    Task<string> CreateNetworkAsync(NetworkCreateRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the network when no container (running or not) is on it; the engine itself refuses while one holds an
    /// endpoint. True when it is gone (or was already), false when something still uses it.
    /// </summary>
    Task<bool> RemoveNetworkIfUnusedAsync(NetworkDetails network, CancellationToken cancellationToken);
}
