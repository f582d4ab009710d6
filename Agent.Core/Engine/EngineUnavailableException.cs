namespace GradientNode.Core.Engine;

/// <summary>The engine's socket could not be reached.</summary>
public sealed class EngineUnavailableException(string message, Exception? inner = null) : EngineException(message, 0, inner)
{
    /// <summary>The engine's address as configured (<c>unix:///var/run/docker.sock</c>), when known.</summary>
    public string? Host { get; init; }

    /// <summary>Why it could not be reached (<c>no socket file there</c>, <c>Connection refused</c>), when known.</summary>
    public string? Reason { get; init; }
}
