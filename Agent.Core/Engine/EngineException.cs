namespace GradientNode.Core.Engine;

/// <summary>A Docker Engine call failed. <see cref="StatusCode"/> is the HTTP status, 0 when none came back.</summary>
public class EngineException(string message, int statusCode = 0, Exception? inner = null) : Exception(message, inner)
{
    public int StatusCode { get; } = statusCode;

    /// <summary>What was asked of the engine (<c>create container 'hello-0'</c>, <c>pull of 'ns/app:1'</c>), when known.</summary>
    public string? Operation { get; init; }

    /// <summary>The engine's own answer (its <c>message</c>), without <see cref="Operation"/>, when known.</summary>
    public string? EngineMessage { get; init; }

    /// <summary>
    /// The engine's answer alone when known, else the whole message: for a sentence that already says what was asked
    /// (<see cref="Exception.Message"/> repeats <c>OPERATION failed: …</c>).
    /// </summary>
    public string Answer => EngineMessage ?? Message;
}
