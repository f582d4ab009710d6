using System.Globalization;

namespace GradientNode.Daemon.Cli.Wait;

/// <summary>
/// Not a terminal (CI, pipes): one timestamped line per change, <c>2026-12-02T10:00:01Z replica 0: ready</c>. A replica
/// shown before and gone from the status now gets a line too (<c>replica 0 (old): gone</c>), before the poll's other
/// lines: before (newuser15's finding, proxy19), a replica's removal printed nothing, so the state line that changed with
/// it (<c>replacing 1 old replica</c>, one fewer) came with no line that explained it, after the previous poll's
/// <c>replica 1: ready</c>, and read as the state of the poll before.
/// </summary>
internal sealed class LineProgressView(TextWriter output, TimeProvider time) : IProgressView
{
    private const string ReplicaKey = "replica ";

    private readonly Dictionary<string, string> _last = new(StringComparer.Ordinal);

    public void Show(IReadOnlyList<ProgressFact> facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        foreach (var gone in _last.Keys.Where(k => k.StartsWith(ReplicaKey, StringComparison.Ordinal) && !facts.Any(f => f.Key == k)).ToList())
        {
            _last.Remove(gone);
            output.WriteLine($"{Stamp()} {gone}: gone");
        }

        foreach (var fact in facts)
        {
            if (_last.TryGetValue(fact.Key, out var seen) && seen == fact.Change)
            {
                continue;
            }

            _last[fact.Key] = fact.Change;
            output.WriteLine($"{Stamp()} {fact.Key}: {fact.Change}");
        }

        output.Flush();
    }

    public void Finish(string line)
    {
        output.WriteLine($"{Stamp()} {line}");
        output.Flush();
    }

    private string Stamp() => time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
