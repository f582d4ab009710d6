using GradientNode.Daemon.Api;

namespace GradientNode.Daemon.Cli.Wait;

/// <summary>
/// What <c>logs NAME -f</c> has printed, so that the stream it asks for after a daemon restart neither repeats a line nor
/// misses one. The follower asks for the lines with their engine timestamps (<c>timestamps=true</c>: each line starts
/// with <see cref="LogTimestamp"/> and a space, then the <c>[I] </c> or <c>[I SUFFIX] </c> container tag, <see cref="Api.LogTags"/>); per tag
/// it keeps the last timestamp printed and the lines printed at that very timestamp. The stream after the cut is asked
/// from the earliest of those timestamps on (Docker's <c>since</c> includes it), and a line is printed from it only when
/// it is later than its tag's last one, or at that same timestamp and not among the lines printed there; a tag not seen
/// before the cut is a container that printed nothing yet, so all its lines are new. The follower asks for full tags
/// (<c>[I SUFFIX] </c>, <see cref="LogTagNames"/>), which name the same container in every stream, so a tag here is one
/// container across the restart (before, the daemon numbered each stream anew, and a rollout's new container could come
/// back as the old one's <c>[0]</c>: its lines were printed twice, or taken for the old container's and dropped).
/// </summary>
internal sealed class LogResume
{
    private const int Width = LogTimestamp.Width;

    private readonly Dictionary<string, Last> _last = new(StringComparer.Ordinal);

    /// <summary>True once a timestamped line was printed: a cut stream is then asked again from <see cref="Since"/>.</summary>
    public bool Any => _last.Count > 0;

    /// <summary>The earliest of the tags' last printed timestamps.</summary>
    public DateTimeOffset Since => _last.Values.Min(l => l.At);

    /// <summary>The line without its timestamp (as it is printed without <c>--timestamps</c>).</summary>
    public static string Strip(string line) => LogTimestamp.TryParse(line, out _) ? line[(Width + 1)..] : line;

    /// <summary>Marks the cut: the lines printed at each tag's last timestamp are those a resumed stream may send again.</summary>
    public void Cut()
    {
        foreach (var last in _last.Values)
        {
            last.Replay.Clear();
            last.Replay.AddRange(last.Printed);
        }
    }

    /// <summary>Whether <paramref name="line"/> is to be printed; records it when it is. A line without a timestamp
    /// (the daemon's own note that a container's log ended) is always printed.</summary>
    public bool Admit(string line)
    {
        if (!LogTimestamp.TryParse(line, out var at))
        {
            return true;
        }

        var rest = line.AsSpan(Width + 1);
        var tag = TagOf(rest);
        var text = rest[tag.Length..].ToString();
        if (_last.TryGetValue(tag, out var last))
        {
            if (at < last.At)
            {
                return false;
            }

            if (at == last.At)
            {
                if (last.Replay.Remove(text))
                {
                    return false;
                }

                last.Printed.Add(text);
                return true;
            }
        }

        _last[tag] = new Last(at, [text], []);
        return true;
    }

    /// <summary>The <c>[digits] </c> or <c>[digits SUFFIX] </c> container tag at the start of <paramref name="rest"/>, or empty.</summary>
    public static string TagOf(ReadOnlySpan<char> rest)
    {
        if (rest.Length < 4 || rest[0] != '[')
        {
            return string.Empty;
        }

        var close = rest.IndexOf("] ", StringComparison.Ordinal);
        if (close < 2)
        {
            return string.Empty;
        }

        var inside = rest[1..close];
        var space = inside.IndexOf(' ');
        var index = space < 0 ? inside : inside[..space];
        var suffixOk = space < 0 || (space < inside.Length - 1 && !inside[(space + 1)..].ContainsAny(' ', ']'));
        return index.Length > 0 && index.IndexOfAnyExceptInRange('0', '9') < 0 && suffixOk ? rest[..(close + 2)].ToString() : string.Empty;
    }

    private sealed record Last(DateTimeOffset At, List<string> Printed, List<string> Replay);
}
