namespace GradientNode.Core.Engine;

/// <summary>
/// The node itself, not the engine, refused a create: the image carries labels only the node sets
/// (<see cref="NodeLabelsGuard"/>). A status says "the node refused", so nobody looks for the fault in dockerd.
/// </summary>
public sealed class ImageLabelsRefusedException(string message) : EngineException(message);
