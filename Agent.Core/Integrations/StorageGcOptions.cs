namespace GradientNode.Core.Integrations;

/// <summary>
/// The disk collector (<c>datasets gc</c> and its timer): <see cref="Keep"/> newest versions of each dataset are always
/// kept (<c>--dataset-keep</c>, default 5); <see cref="Interval"/> between timer passes (default one hour).
/// </summary>
public sealed record StorageGcOptions
{
    public const int DefaultKeep = 5;

    public int Keep { get; init; } = DefaultKeep;

    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(1);
}
