namespace GradientNode.Core.Specs;

/// <summary>A legacy <c>models</c> entry: <c>{id, path = /opt/models}</c>.</summary>
public sealed record ModelSpec(string Id, string Path);
