namespace GradientNode.Core.Engine;

/// <summary>A Docker Engine call failed. <see cref="StatusCode"/> is the HTTP status, 0 when none came back.</summary>
public class EngineException(string message, int statusCode = 0, Exception? inner = null) : Exception(message, inner)
{
    public int StatusCode { get; } = statusCode;
}
