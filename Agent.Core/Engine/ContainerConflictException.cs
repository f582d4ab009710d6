namespace GradientNode.Core.Engine;

/// <summary>A name is taken, or the container is in a state that forbids the operation (HTTP 409).</summary>
public sealed class ContainerConflictException(string message) : EngineException(message, 409);
