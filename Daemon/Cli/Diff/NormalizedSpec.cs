using System.Collections;
using System.Globalization;
using System.Reflection;
using GradientNode.Core.Specs;

namespace GradientNode.Daemon.Cli.Diff;

/// <summary>
/// A parsed spec written out in one canonical form for <c>diff</c>: every field of the spec records (defaults filled in,
/// either dialect alike) as YAML lines in declaration order, and the same values by dotted path
/// (<c>resources.replicas</c>, <c>env[0].value</c>) to name what changed. Read from the records by reflection, so a
/// field the parser gains shows up here without a change. Values are written as a spec writes them (an integration's
/// <c>type: git-lfs</c>, not the enum's name), so a line copied from the diff into a spec parses; a field left unset
/// (null) has no line, only its path (<c>null</c>) for naming what changed.
/// </summary>
internal sealed class NormalizedSpec
{
    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal) { "Slug", "Dialect" };

    private NormalizedSpec()
    {
    }

    public List<string> Lines { get; } = [];

    /// <summary>Leaf values by path (strings unquoted); lists also have an entry at their own path (their count) so added items show.</summary>
    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    public static NormalizedSpec Of(DeploymentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var normalized = new NormalizedSpec();
        normalized.WriteObject(spec, string.Empty, 0, firstPrefix: null);
        return normalized;
    }

    private static IEnumerable<PropertyInfo> Fields(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is not null && p.GetIndexParameters().Length == 0 && !Skipped.Contains(p.Name) && p.Name != "EqualityContract");

    private static bool IsScalar(object? value) =>
        value is null or string or bool or Enum or SecretRef or SpecValue || value.GetType().IsPrimitive;

    private static string Scalar(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        IntegrationType.GitLfs => "git-lfs",
        Enum e => Camel(e.ToString()),
        string s => NeedsQuotes(s) ? Quote(s) : s,
        SecretRef or SpecValue => value.ToString()!,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>Quotes only what YAML would read otherwise: empty, padded, ": " or " #", a leading indicator, or a word that is not a string.</summary>
    private static bool NeedsQuotes(string s) =>
        s.Length == 0 || s != s.Trim() || s.Contains(": ", StringComparison.Ordinal) || s.Contains(" #", StringComparison.Ordinal) || s.EndsWith(':')
        || s.Contains('\n', StringComparison.Ordinal) || "-?:,[]{}#&*!|>'\"%@`".Contains(s[0], StringComparison.Ordinal)
        || s is "true" or "false" or "null" or "~" or "yes" or "no" || double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static string Raw(object? value) => value is string s ? s : Scalar(value);

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    /// <summary>Writes an object's fields; <paramref name="firstPrefix"/> replaces the indent of the first line (a list item's "- ").</summary>
    private void WriteObject(object value, string path, int depth, string? firstPrefix)
    {
        var first = true;
        foreach (var (key, field) in SpecFields(value))
        {
            var indent = first && firstPrefix is not null ? firstPrefix : new string(' ', depth * 2);
            var written = Lines.Count;
            if (key == "exec")
            {
                // An exec probe as a spec writes it, exec: {command: [...]}.
                Lines.Add($"{indent}exec:");
                WriteField("command", field, Join(path, "exec.command"), depth + 1, new string(' ', (depth + 1) * 2));
            }
            else
            {
                WriteField(key, field, Join(path, key), depth, indent);
            }

            first &= Lines.Count == written; // an unset field writes no line: the list item's "- " goes on the next one
        }

        if (first && firstPrefix is not null)
        {
            Lines.Add($"{firstPrefix}{{}}");
        }
    }

    /// <summary>
    /// A record's fields by the keys a spec writes them with. Before, a probe showed the record's own <c>action: exec</c>,
    /// <c>execCommand: [...]</c> and <c>headers: []</c>, and every spec <c>models: []</c>, none of which a v1 spec
    /// accepts: now a probe has <c>exec: {command: [...]}</c> or its HTTP fields, and an empty <c>models</c> (a legacy
    /// field) has no line, so the lines of a v1 spec's diff parse as that spec again.
    /// </summary>
    private static IEnumerable<(string Key, object? Value)> SpecFields(object value)
    {
        foreach (var property in Fields(value.GetType()))
        {
            var field = property.GetValue(value);
            switch (value, property.Name)
            {
                case (ProbeSpec, nameof(ProbeSpec.Action)):
                    continue;
                case (ProbeSpec { Action: ProbeAction.Exec }, nameof(ProbeSpec.ExecCommand)):
                    yield return ("exec", field);
                    continue;
                case (ProbeSpec, nameof(ProbeSpec.ExecCommand)):
                case (ProbeSpec { Action: ProbeAction.Exec }, nameof(ProbeSpec.Headers)):
                case (DeploymentSpec { Models.Count: 0 }, nameof(DeploymentSpec.Models)):
                    continue;
            }

            yield return (Camel(property.Name), field);
        }
    }

    private void WriteField(string key, object? value, string path, int depth, string indent)
    {
        if (IsScalar(value))
        {
            if (value is not null)
            {
                Lines.Add($"{indent}{key}: {Scalar(value)}");
            }

            Values[path] = Raw(value);
            return;
        }

        if (value is IEnumerable items)
        {
            var list = items.Cast<object?>().ToList();
            Values[path] = list.Count.ToString(CultureInfo.InvariantCulture);
            if (list.Count == 0)
            {
                Lines.Add($"{indent}{key}: []");
                return;
            }

            Lines.Add($"{indent}{key}:");
            var itemIndent = new string(' ', (depth + 1) * 2);
            for (var i = 0; i < list.Count; i++)
            {
                var itemPath = $"{path}[{i}]";
                if (IsScalar(list[i]))
                {
                    Lines.Add($"{itemIndent}- {Scalar(list[i])}");
                    Values[itemPath] = Raw(list[i]);
                }
                else
                {
                    WriteObject(list[i]!, itemPath, depth + 2, $"{itemIndent}- ");
                }
            }

            return;
        }

        Lines.Add($"{indent}{key}:");
        WriteObject(value!, path, depth + 1, firstPrefix: null);
    }
}
