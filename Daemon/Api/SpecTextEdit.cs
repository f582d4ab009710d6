using System.Globalization;
using System.Text.RegularExpressions;

namespace GradientNode.Daemon.Api;

/// <summary>
/// Line edits of a spec file's text for the scale, enable and disable actions: one line changes (or is added), every
/// other line and comment stays. Block-style YAML only; a flow-style <c>resources: {…}</c> gives null (the caller
/// answers that the file must be edited by hand). The caller re-parses the result before writing it.
/// </summary>
internal static partial class SpecTextEdit
{
    /// <summary>Sets the top-level <c>enabled:</c> key (replaces the line, or appends one); null for a JSON or flow-style document.</summary>
    public static string? SetEnabled(string text, bool enabled)
    {
        var lines = Split(text);
        if (IsFlowDocument(lines))
        {
            return null;
        }

        var value = $"enabled: {(enabled ? "true" : "false")}";
        var at = lines.FindIndex(l => TopLevelEnabled().IsMatch(l));
        if (at >= 0)
        {
            lines[at] = value;
        }
        else
        {
            lines.Add(value);
        }

        return Join(lines);
    }

    /// <summary>Sets <c>resources.replicas</c>, adding the key (or the <c>resources:</c> block) when missing; null for flow style.</summary>
    public static string? SetReplicas(string text, int replicas)
    {
        var lines = Split(text);
        if (IsFlowDocument(lines))
        {
            return null;
        }

        var value = replicas.ToString(CultureInfo.InvariantCulture);
        var resources = lines.FindIndex(l => TopLevelResources().IsMatch(l));
        if (resources < 0)
        {
            if (lines.Any(l => l.StartsWith("resources", StringComparison.Ordinal)))
            {
                return null;
            }

            lines.Add("resources:");
            lines.Add($"  replicas: {value}");
            return Join(lines);
        }

        string? indent = null;
        for (var i = resources + 1; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (!char.IsWhiteSpace(line[0]))
            {
                break;
            }

            var match = ChildKey().Match(line);
            indent ??= match.Success ? match.Groups[1].Value : null;
            if (match.Success && match.Groups[1].Value == indent && match.Groups[2].Value == "replicas")
            {
                var comment = line.IndexOf(" #", StringComparison.Ordinal);
                lines[i] = $"{indent}replicas: {value}{(comment > 0 ? line[comment..] : string.Empty)}";
                return Join(lines);
            }
        }

        lines.Insert(resources + 1, $"{indent ?? "  "}replicas: {value}");
        return Join(lines);
    }

    /// <summary>
    /// A document that is one flow mapping (a JSON spec, <c>{name: x, …}</c>): no line of it can be set or appended
    /// (an appended <c>enabled: false</c> after the closing brace made the file invalid YAML).
    /// </summary>
    private static bool IsFlowDocument(List<string> lines) =>
        lines.Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith('#') && l != "---") is { } first && first.StartsWith('{');

    private static List<string> Split(string text) =>
        [.. text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n')];

    private static string Join(List<string> lines) => string.Join('\n', lines) + "\n";

    [GeneratedRegex(@"^enabled\s*:")]
    private static partial Regex TopLevelEnabled();

    [GeneratedRegex(@"^resources\s*:\s*(#.*)?\z")]
    private static partial Regex TopLevelResources();

    [GeneratedRegex(@"^(\s+)([A-Za-z][A-Za-z0-9]*)\s*:")]
    private static partial Regex ChildKey();
}
