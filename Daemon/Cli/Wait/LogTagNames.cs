using GradientNode.Daemon.Api;

namespace GradientNode.Daemon.Cli.Wait;

/// <summary>
/// The tags <c>logs NAME -f</c> shows. It asks the daemon for full tags (<c>fullTags=true</c>: every container is
/// <c>[I SUFFIX] </c>, <see cref="LogTags"/>), which name the container whatever stream carries them, and shortens them
/// itself for the whole command: the first container of replica index I that prints is shown <c>[I] </c>, any other
/// of that index keeps <c>[I SUFFIX] </c>. The command outlives a daemon restart, so a container keeps the tag it had
/// before the restart; before, the daemon numbered each stream anew, and a rollout's new container, alone by the time
/// the stream was asked again, came back as <c>[0]</c>.
/// </summary>
internal sealed class LogTagNames
{
    private readonly Dictionary<string, string> _shown = new(StringComparer.Ordinal);
    private readonly HashSet<string> _indexes = new(StringComparer.Ordinal);

    /// <summary><paramref name="line"/> (with or without its timestamp) with its full tag replaced by the one shown.</summary>
    public string Show(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var start = LogTimestamp.TryParse(line, out _) ? LogTimestamp.Width + 1 : 0;
        var tag = LogResume.TagOf(line.AsSpan(start));
        var space = tag.IndexOf(' ', StringComparison.Ordinal);
        if (tag.Length == 0 || space == tag.Length - 1)
        {
            return line; // no tag, or one without a suffix (a daemon from before fullTags): as sent.
        }

        if (!_shown.TryGetValue(tag, out var shown))
        {
            var index = tag[1..space];
            shown = _indexes.Add(index) ? $"[{index}] " : tag;
            _shown[tag] = shown;
        }

        return string.Concat(line.AsSpan(0, start), shown, line.AsSpan(start + tag.Length));
    }
}
