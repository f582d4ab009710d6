using GradientNode.Core.Common;
using GradientNode.Core.Registries;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Reconciliation;

/// <summary>Which pulls a spec needs, and whether its <c>containerRegistry</c> connection can be used now.</summary>
public sealed partial class ImagePuller
{
    /// <summary>
    /// Why the <c>containerRegistry</c> of <paramref name="spec"/> cannot be used now (not a stored connection, or its file
    /// damaged), else null. Every pull of the image needs it, a scale-up's or a crash restart's of a running version too, so
    /// the reconciler asks on every pass and not only when a replica is created (<see cref="VersionPreparer"/>).
    /// </summary>
    public string? RegistryProblemOf(DeploymentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.ContainerRegistry is { } name && _registries?.Get(name) is null ? MissingConnection(name, spec.Image) : null;
    }

    private string MissingConnection(string name, string image) => _registries?.DamageOf(name) is { } damage
        ? $"containerRegistry {RegistryStore.DamagedProblem(name, damage)}"
        : $"containerRegistry '{name}' is not a stored registry connection (add it: {RegistryAddHint.For(name, image)})";

    /// <summary>
    /// Whether each new version of <paramref name="spec"/> pulls its image before its replicas start (a
    /// <c>containerRegistry</c>, or a <c>:latest</c>/untagged image): what a <c>restart</c> that does not wait tells the
    /// user to look at afterwards, since the pull's outcome comes later.
    /// </summary>
    public static bool PullsEachVersion(DeploymentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.ContainerRegistry is not null || MustPull(spec, null);
    }

    private static bool MustPull(DeploymentSpec spec, RegistryConnection? connection)
    {
        if (connection is not null)
        {
            return true;
        }

        var reference = ImageReference.Parse(spec.Image);
        return reference.Digest is null && reference.Tag == "latest";
    }

    /// <summary>An engine's message with the connection's password taken out.</summary>
    private static string Redact(string message, RegistryConnection? connection) =>
        connection is null ? message : RegistryTester.Redact(message, connection.Password);
}
