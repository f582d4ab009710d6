using System.Globalization;

namespace GradientNode.Daemon.Cli.Wait;

/// <summary>Not a terminal (CI, pipes): one timestamped line per change, <c>2026-12-02T10:00:01Z replica 0: ready</c>.</summary>
internal sealed class LineProgressView(TextWriter output, TimeProvider time) : IProgressView
{
    private readonly Dictionary<string, string> _last = new(StringComparer.Ordinal);

    public void Show(IReadOnlyList<ProgressFact> facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
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
