namespace GradientNode.Core.Engine;

public sealed class ContainerNotFoundException(string id) : EngineException($"container '{id}' not found", 404)
{
    public string ContainerId { get; } = id;
}
