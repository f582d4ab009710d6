namespace GradientNode.Core.Export;

/// <summary>
/// The objects of one spec, the warnings (each also a comment above the first object) and the commands that
/// create the Secrets the objects reference, with placeholders instead of values.
/// </summary>
public sealed record ExportResult(IReadOnlyList<ExportDocument> Documents, IReadOnlyList<string> Warnings, IReadOnlyList<string> SecretCommands);
