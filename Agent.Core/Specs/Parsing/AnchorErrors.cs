namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// Folds the copies of one error that a YAML anchor makes: a value merged (<c>&lt;&lt;: *defaults</c>) or aliased into
/// several places is one node, read once per place, so a bad value was reported once per user of the anchor, each time at
/// the anchor's line (three jobs sharing <c>&lt;&lt;: *job</c> with an unknown machine type: three errors at one line).
/// Errors at the same position with the same message after their field path are reported once, with the field as the
/// anchor writes it, naming every user: <c>resources.instance-type: unknown … (in an anchor used by jobs a, b, c)</c>.
/// </summary>
internal static class AnchorErrors
{
    public static IEnumerable<SpecError> Fold(IEnumerable<SpecError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var groups = new List<(SpecError First, string Said, List<string> Paths)>();
        foreach (var error in errors)
        {
            var (path, said) = Split(error.Message);
            var same = groups.FindIndex(g => g.First.File == error.File && g.First.Line == error.Line && g.First.Column == error.Column && g.Said == said);
            if (same < 0)
            {
                groups.Add((error, said, path is null ? [] : [path]));
            }
            else if (path is not null && !groups[same].Paths.Contains(path, StringComparer.Ordinal))
            {
                groups[same].Paths.Add(path);
            }
        }

        return groups.Select(g => g.Paths.Count < 2 ? g.First : g.First with { Message = Folded(g.Paths, g.Said) });
    }

    /// <summary><c>PATH: rest</c> when the message begins with a field path (no space before its first <c>": "</c>).</summary>
    private static (string? Path, string Said) Split(string message)
    {
        var colon = message.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && !message.AsSpan(0, colon).ContainsAny(' ', '\'') ? (message[..colon], message[(colon + 2)..]) : (null, message);
    }

    /// <summary>
    /// The part of the paths they share at their end (the field in the anchor), then the places that use the anchor: each
    /// path without that part (<c>jobs.a</c>, <c>jobs.b</c>), said as <c>jobs a, b</c> when they are all jobs.
    /// </summary>
    private static string Folded(List<string> paths, string said)
    {
        var split = paths.Select(p => p.Split('.')).ToList();
        var shared = 0;
        while (split.All(s => s.Length > shared + 1) && split.Select(s => s[^(shared + 1)]).Distinct(StringComparer.Ordinal).Count() == 1)
        {
            shared++;
        }

        var users = split.Select(s => string.Join('.', s[..^shared])).ToList();
        var named = users.All(u => u.StartsWith("jobs.", StringComparison.Ordinal) && u.IndexOf('.', 5) < 0)
            ? $"jobs {string.Join(", ", users.Select(u => u[5..]))}"
            : string.Join(", ", users);
        return $"{string.Join('.', split[0][^shared..])}: {said} (in an anchor used by {named})";
    }
}
