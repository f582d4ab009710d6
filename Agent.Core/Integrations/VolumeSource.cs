namespace GradientNode.Core.Integrations;

/// <summary>Where a volume's content comes from. Implementations hold resolved secret values: their <c>ToString</c> never shows them.</summary>
public abstract record VolumeSource
{
    /// <summary>The canonical text the content key is computed from (secrets only as their SHA-256).</summary>
    public abstract string Canonical();
}
