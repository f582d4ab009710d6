using GradientNode.Core.Datasets;

namespace GradientNode.Core.Integrations;

/// <summary>
/// Where volumes live under the state dir: <c>volumes/cache/&lt;key&gt;</c> (fetched content, shared by every version
/// and deployment with the same block), <c>volumes/named/&lt;slug&gt;/&lt;name&gt;</c>, <c>volumes/owners/</c>, and the
/// local stores <c>models/</c> and <c>datasets/</c> (a <see cref="DatasetStore"/>).
/// </summary>
public sealed class VolumeStores(string stateDir, DatasetStore? datasets = null)
{
    public string CacheDir { get; } = Path.Combine(stateDir, "volumes", "cache");

    public string NamedDir { get; } = Path.Combine(stateDir, "volumes", "named");

    public string OwnersDir { get; } = Path.Combine(stateDir, "volumes", "owners");

    public VersionedStore Models { get; } = new(Path.Combine(stateDir, "models"));

    public DatasetStore Datasets { get; } = datasets ?? new DatasetStore(Path.Combine(stateDir, "datasets"), TimeProvider.System);

    /// <summary>
    /// Makes <c>volumes/</c> and <c>models/</c> when missing and sets them to 0700, also when an earlier version left them
    /// 0755: what is fetched there (a private repository cloned with its token, a bucket synced with its keys) and the
    /// models members upload are for the API and the containers that mount them (Docker mounts them as root), never
    /// for every local user who can reach a state dir the daemon made itself (as <c>datasets/</c> and
    /// <c>workflows/</c> already are).
    /// </summary>
    public void SecureRoots()
    {
        VersionedStore.MakeOwnerOnly(Path.Combine(stateDir, "volumes"));
        VersionedStore.MakeOwnerOnly(Models.Root);
    }

    /// <summary>
    /// Removes <c>volumes/named/&lt;slug&gt;</c> once it is empty (its volumes were released), so that deleted
    /// deployments leave no folder behind; a folder that still holds something is left alone.
    /// </summary>
    public void RemoveEmptyNamedFolder(string slug)
    {
        var folder = Path.Combine(NamedDir, slug);
        if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
        }
    }
}
