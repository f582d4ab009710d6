namespace GradientNode.Core.Catalog;

/// <summary>
/// One spec file as read from disk: its text, and the text of its last good version kept in the state dir
/// (so a file broken while the daemon was down still keeps its deployment running).
/// </summary>
public sealed record SpecFile(string Path, string Text, DateTimeOffset Modified, string? LastGoodText = null);
