namespace GradientNode.Core.Engine;

/// <summary>The engine's socket could not be reached.</summary>
public sealed class EngineUnavailableException(string message, Exception? inner = null) : EngineException(message, 0, inner);
