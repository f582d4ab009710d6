namespace GradientNode.Core.Integrations;

/// <summary>A fetch failed for a reason worth showing (403, missing bucket or repository, disk full …); never carries a secret.</summary>
public sealed class IntegrationFetchException(string message, bool permanent = false, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Retrying soon will not help (bad key, missing bucket): retries back off to the maximum at once.</summary>
    public bool Permanent => permanent;
}
