namespace GradientNode.Core.Integrations;

/// <summary>Fills an empty directory with a source's content; the caller renames it into place when this returns.</summary>
public interface IIntegrationFetcher
{
    bool Handles(VolumeSource source);

    Task FetchAsync(VolumeSource source, string target, FetchProgress progress, CancellationToken cancellationToken);
}
