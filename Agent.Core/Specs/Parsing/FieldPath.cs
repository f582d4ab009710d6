namespace GradientNode.Core.Specs.Parsing;

/// <summary>Builds the dotted field paths used in messages, e.g. <c>resources.autoscaling.metrics[1].value</c>.</summary>
internal static class FieldPath
{
    public static string Child(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";

    public static string Item(string parent, int index) => $"{parent}[{index}]";

    /// <summary>"resources: " for nested fields, nothing at the top level.</summary>
    public static string Prefix(string path) => path.Length == 0 ? string.Empty : $"{path}: ";
}
