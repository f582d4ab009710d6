using System.Collections.Concurrent;
using GradientNode.Core.Engine;
using GradientNode.Core.Registries;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Makes a spec version's image present before replicas start. Policy (as Kubernetes' defaults): with a
/// <c>containerRegistry</c>, or a <c>:latest</c>/untagged image, each new spec version pulls (a re-pushed tag is
/// picked up on redeploy, and stored credentials are checked); otherwise the local image is used when present.
/// Replica restarts and scale-ups of the same version never pull again. Errors are sentences for status, with
/// any password redacted. While a pull runs, its progress is in <see cref="Progress"/>.
/// </summary>
public sealed class ImagePuller(IContainerEngine engine, RegistryStore registries, PullProgressTracker progress)
{
    private readonly ConcurrentDictionary<string, string> _pulledFor = new(StringComparer.Ordinal);

    /// <summary>The pulls in progress, per deployment slug.</summary>
    public PullProgressTracker Progress => progress;

    /// <summary>
    /// Null when the image is ready for <paramref name="specHash"/>, else why not. <paramref name="onProgress"/> hears of
    /// a pull when it starts, at most every <see cref="PullProgressTracker.PublishInterval"/> while it runs, and at its end.
    /// </summary>
    public async Task<string?> EnsureAsync(DeploymentSpec spec, string specHash, Action<PullStatus>? onProgress, CancellationToken cancellationToken)
    {
        RegistryConnection? connection = null;
        if (spec.ContainerRegistry is { } name)
        {
            connection = registries.Get(name);
            if (connection is null)
            {
                return $"containerRegistry '{name}' is not a stored registry connection (add it: gradient-node registries add {name} --url URL --username U --password-stdin)";
            }
        }

        if (_pulledFor.TryGetValue(spec.Slug, out var pulled) && pulled == specHash)
        {
            return null;
        }

        var local = await engine.InspectImageAsync(spec.Image, cancellationToken).ConfigureAwait(false);
        if (local is not null && !MustPull(spec, connection))
        {
            _pulledFor[spec.Slug] = specHash;
            return null;
        }

        var pull = progress.Begin(spec.Slug, spec.Image, onProgress);
        try
        {
            var auth = connection is null ? null : new RegistryAuth(connection.Username, connection.Password, connection.ServerAddress);
            await engine.PullImageAsync(spec.Image, auth, pull, cancellationToken).ConfigureAwait(false);
            pull.Flush();
            _pulledFor[spec.Slug] = specHash;
            return null;
        }
        catch (EngineException ex)
        {
            var what = ex switch
            {
                ImageNotFoundException => "was not found",
                ImagePullDeniedException => connection is null
                    ? "was refused by its registry (a private image needs containerRegistry: NAME)"
                    : $"was refused by its registry with the credentials of '{connection.Name}'",
                EngineUnavailableException => "could not be pulled: the Docker engine is unreachable",
                _ => "could not be pulled",
            };
            var reason = connection is null ? ex.Message : RegistryTester.Redact(ex.Message, connection.Password);
            return $"image '{spec.Image}' {what}: {reason}";
        }
        finally
        {
            progress.End(spec.Slug, pull);
        }
    }

    /// <summary>Forgets what was pulled for a deployment (it was removed or restarted on purpose).</summary>
    public void Forget(string slug) => _pulledFor.TryRemove(slug, out _);

    private static bool MustPull(DeploymentSpec spec, RegistryConnection? connection)
    {
        if (connection is not null)
        {
            return true;
        }

        var reference = ImageReference.Parse(spec.Image);
        return reference.Digest is null && reference.Tag == "latest";
    }
}
