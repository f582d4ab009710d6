using GradientNode.Core.Engine;

namespace GradientNode.Daemon.Api;

/// <summary>
/// The tag each line of a deployment's log stream starts with, per container, when the stream can carry more than one
/// container (several are there, or it follows: a crash restart, a rollout and a scale-up add containers as it goes).
/// The first container of replica index I in the stream is <c>[I] </c>; another container of the same index (the next run
/// after a crash, a rollout's new replica beside the old one) is <c>[I SUFFIX] </c>, SUFFIX being the last part of its
/// name (<c>gradient-web-0-e606f2</c> → <c>[0 e606f2] </c>, as <c>get</c> shows it), so the lines of old and new can be
/// told apart. A container keeps its tag for the whole stream. Without tags (one container, not followed) lines are as
/// the app wrote them. With <c>full</c> (<c>fullTags=true</c>, what <c>logs -f</c> asks) every container is
/// <c>[I SUFFIX] </c>: its tag depends on nothing but the container, so a stream asked again after a daemon restart tags
/// it as the first stream did, whichever containers are left by then (the client shows the first of an index as
/// <c>[I]</c>, <c>Cli.Wait.LogTagNames</c>). Thread-safe.
/// </summary>
internal sealed class LogTags(bool enabled, bool full = false)
{
    private readonly Dictionary<string, string> _byContainer = new(StringComparer.Ordinal);
    private readonly HashSet<string> _indexes = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>
    /// Tags when <paramref name="follow"/> (the stream may take in further containers), with more than one container, or
    /// when <paramref name="full"/> tags are asked for (then every container's is <c>[I SUFFIX] </c>).
    /// </summary>
    public static LogTags For(bool follow, int containers, bool full = false) => new(follow || containers > 1 || full, full);

    /// <summary>The tag of <paramref name="container"/>'s lines, with its trailing space; empty without tags.</summary>
    public string Of(ContainerSummary container)
    {
        ArgumentNullException.ThrowIfNull(container);
        if (!enabled)
        {
            return string.Empty;
        }

        lock (_gate)
        {
            if (_byContainer.TryGetValue(container.Id, out var known))
            {
                return known;
            }

            var index = container.Labels.GetValueOrDefault(ContainerLabels.Replica) ?? "?";
            var tag = _indexes.Add(index) && !full ? $"[{index}] " : $"[{index} {Suffix(container.Name)}] ";
            _byContainer[container.Id] = tag;
            return tag;
        }
    }

    private static string Suffix(string name)
    {
        var trimmed = name.TrimStart('/');
        return trimmed[(trimmed.LastIndexOf('-') + 1)..];
    }
}
