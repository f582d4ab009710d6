using GradientNode.Core.Registries;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Reconciliation;

/// <summary>The image already on the node when a pull fails for an outage: what runs, and the warning that says so.</summary>
public sealed partial class ImagePuller
{
    /// <summary>
    /// Why version <paramref name="specHash"/> of the deployment runs the image already on the node rather than a fresh
    /// pull (the registry and its error); null when it was pulled, or needed no pull.
    /// </summary>
    public string? WarningOf(string slug, string specHash) =>
        _localFor.TryGetValue(slug, out var local) && local.SpecHash == specHash ? local.Warning : null;

    /// <summary>The error of the failed pull <paramref name="key"/> when it was an outage (the registry did not answer it); else null.</summary>
    private string? OutageOf(string key)
    {
        lock (_gate)
        {
            return _jobs.TryGetValue(key, out var job) && !job.Running && !job.RegistryAnswered ? job.Error : null;
        }
    }

    /// <summary>The version runs with the local image: remembered (with why) until another version of the deployment comes.</summary>
    private ImageState UseLocal(DeploymentSpec spec, string specHash, RegistryConnection? connection, string error)
    {
        var registry = RegistryHost.OfImage(spec.Image) ?? "docker.io";
        var named = connection is null ? string.Empty : $" (containerRegistry '{connection.Name}')";
        var warning = $"could not pull from registry {registry}{named}, so the image already on this node runs: {error}";
        _localFor[spec.Slug] = (specHash, warning);
        _pulledFor[spec.Slug] = specHash;
        LogUsingLocalImage(spec.Slug, spec.Image, warning);
        return ImageState.Ready with { Warning = warning };
    }
}
