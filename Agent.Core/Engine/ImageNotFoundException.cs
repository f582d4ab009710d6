namespace GradientNode.Core.Engine;

/// <summary>The image is neither local nor in its registry (manifest unknown, repository does not exist).</summary>
public sealed class ImageNotFoundException(string image, string message) : EngineException(message, 404)
{
    public string Image { get; } = image;
}
