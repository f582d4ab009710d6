namespace GradientNode.Core.Reconciliation;

/// <summary>Whether a spec version's image is there: ready, being pulled in the background (<see cref="Pending"/>), or why not (<see cref="Error"/>).</summary>
public sealed record ImageState(bool Pending, string? Error)
{
    /// <summary>
    /// Ready, but not as asked: the pull failed and the image already on the node runs instead (<see cref="ImagePuller"/>);
    /// the sentence names the registry and its error.
    /// </summary>
    public string? Warning { get; init; }

    /// <summary>
    /// When ready: the image as the presence check just found it, handed to the replica's create so that its label check
    /// does not inspect the image a second time (<see cref="Engine.ContainerCreateRequest.InspectedImage"/>).
    /// </summary>
    public Engine.ImageDetails? Image { get; init; }

    public static readonly ImageState Ready = new(false, null);

    public static readonly ImageState Pulling = new(true, null);

    public static ImageState Failed(string error) => new(false, error);
}
