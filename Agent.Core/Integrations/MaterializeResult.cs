using GradientNode.Core.Engine;

namespace GradientNode.Core.Integrations;

/// <summary>
/// A spec version's volumes: ready (<see cref="Binds"/>), still being fetched (<see cref="Pending"/>), or failed
/// (<see cref="Error"/> names the integration and the cause).
/// </summary>
public sealed record MaterializeResult(IReadOnlyList<BindMount> Binds, bool Pending, string? Error)
{
    public static MaterializeResult None { get; } = new([], false, null);
}
