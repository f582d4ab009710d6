using YamlDotNet.RepresentationModel;

namespace GradientNode.Core.Workflows.Specs.Parsing;

/// <summary>A job input as read, before its alias is resolved: an alias text, or an inline definition.</summary>
internal sealed record JobInputDraft(string Name, string Field, YamlNode Node, string? Alias, WorkflowInputSpec? Inline);
