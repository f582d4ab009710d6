namespace GradientNode.Core.Export;

/// <summary>One exported object (a <c>k8s.Models</c> object, or one of our Argo/KEDA records): its file name under <c>-o DIR</c>, the object, and comments written above it.</summary>
public sealed record ExportDocument(string FileName, object Body, IReadOnlyList<string> Comments);
