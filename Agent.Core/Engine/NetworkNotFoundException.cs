namespace GradientNode.Core.Engine;

/// <summary>
/// The engine has no network the call names (HTTP 404, <c>network NAME not found</c>): a container's network that was
/// removed, which dockerd reports at the create or, as 20.10 and later do for a network that is gone, at the start.
/// <see cref="Network"/> is the name or id the engine's message names, null when it names none.
/// </summary>
public sealed class NetworkNotFoundException(string? network, string message) : EngineException(message, 404)
{
    public string? Network { get; } = network;
}
