namespace GradientNode.Core.Reconciliation;

/// <summary>Whether a spec version's image is there: ready, being pulled in the background (<see cref="Pending"/>), or why not (<see cref="Error"/>).</summary>
public sealed record ImageState(bool Pending, string? Error)
{
    public static readonly ImageState Ready = new(false, null);

    public static readonly ImageState Pulling = new(true, null);

    public static ImageState Failed(string error) => new(false, error);
}
