namespace GradientNode.Daemon.Cli.Diff;

/// <summary>A unified diff (<c>---</c>/<c>+++</c>, <c>@@</c> hunks with 3 lines of context) of two line lists, by longest common subsequence. Pure.</summary>
internal static class UnifiedDiff
{
    private const int Context = 3;

    public static IReadOnlyList<string> Lines(IReadOnlyList<string> before, IReadOnlyList<string> after, string beforeLabel, string afterLabel)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var edits = Edits(before, after);
        if (edits.All(e => e.Kind == ' '))
        {
            return [];
        }

        var output = new List<string> { $"--- {beforeLabel}", $"+++ {afterLabel}" };
        var changed = edits.Select((e, i) => (e, i)).Where(x => x.e.Kind != ' ').Select(x => x.i).ToList();
        var start = 0;
        while (start < changed.Count)
        {
            // A hunk spans changes less than 2*Context lines apart.
            var end = start;
            while (end + 1 < changed.Count && changed[end + 1] - changed[end] <= 2 * Context)
            {
                end++;
            }

            var from = Math.Max(0, changed[start] - Context);
            var to = Math.Min(edits.Count - 1, changed[end] + Context);
            var hunk = edits.Skip(from).Take(to - from + 1).ToList();
            var oldStart = edits.Take(from).Count(e => e.Kind != '+') + 1;
            var newStart = edits.Take(from).Count(e => e.Kind != '-') + 1;
            var oldCount = hunk.Count(e => e.Kind != '+');
            var newCount = hunk.Count(e => e.Kind != '-');
            output.Add($"@@ -{(oldCount == 0 ? oldStart - 1 : oldStart)},{oldCount} +{(newCount == 0 ? newStart - 1 : newStart)},{newCount} @@");
            output.AddRange(hunk.Select(e => $"{e.Kind}{e.Line}"));
            start = end + 1;
        }

        return output;
    }

    private static List<(char Kind, string Line)> Edits(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var lcs = new int[a.Count + 1, b.Count + 1];
        for (var i = a.Count - 1; i >= 0; i--)
        {
            for (var j = b.Count - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var edits = new List<(char, string)>();
        int x = 0, y = 0;
        while (x < a.Count || y < b.Count)
        {
            if (x < a.Count && y < b.Count && a[x] == b[y])
            {
                edits.Add((' ', a[x++]));
                y++;
            }
            else if (y < b.Count && (x == a.Count || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                edits.Add(('+', b[y++]));
            }
            else
            {
                edits.Add(('-', a[x++]));
            }
        }

        // Removals before additions within a run of changes, as diff(1) prints them.
        for (var i = 1; i < edits.Count; i++)
        {
            for (var k = i; k > 0 && edits[k].Item1 == '-' && edits[k - 1].Item1 == '+'; k--)
            {
                (edits[k], edits[k - 1]) = (edits[k - 1], edits[k]);
            }
        }

        return edits;
    }
}
