namespace GradientNode.Core.Engine;

/// <summary>The registry refused the pull: no or wrong credentials.</summary>
public sealed class ImagePullDeniedException(string image, string message) : EngineException(message, 401)
{
    public string Image { get; } = image;
}
