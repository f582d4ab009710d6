using GradientNode.Core.Specs;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// Errors under a misspelt key, found in the same pass as the misspelling: a key one edit away from a known one
/// (<c>defualts</c>, <c>evn</c>) is an error, and before, what it held went unread, so its children's errors (an <c>evn</c>
/// under <c>defualts</c>) showed only once the parent was fixed, one edit-run cycle each. The file is read again with each
/// such key read as the one it was meant to be (<see cref="SpecReader.ReadAs"/>), a few rounds deep for misspellings under
/// misspellings, and the errors that lie in a misspelt key's value are added, each marked with the innermost such key:
/// <c>defaults.env.X: … (under 'defualts', checked as 'defaults')</c>; so are the errors the value so read causes at another
/// key, a check across fields: <c>resources.autoscaling.maxReplicas: must be at least resources.replicas (5), got 3 (with
/// 'replica' checked as 'replicas')</c>. Shared by the workflow and the deployment parsers.
/// </summary>
internal static class MisspeltKeys
{
    /// <summary>Rounds of misspellings under misspellings (<c>defualts.evn</c> takes two).</summary>
    private const int MaxRounds = 3;

    /// <summary>The errors under <paramref name="first"/>'s misspelt keys that <paramref name="parse"/> (the same parse, into the reader given) finds when they are read as meant.</summary>
    public static IReadOnlyList<SpecError> Recheck(SpecReader first, Action<SpecReader> parse)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(parse);
        var readAs = new Dictionary<(long Line, long Column), MisspeltKey>();
        var seen = new HashSet<SpecError>(first.SortedErrors());
        var reported = first.SortedErrors().Select(e => (e.Line, e.Column)).ToHashSet();
        var found = new List<SpecError>();
        IReadOnlyList<MisspeltKey> pending = first.Misspelt;
        for (var round = 0; round < MaxRounds && pending.Count > 0; round++)
        {
            foreach (var key in pending)
            {
                readAs.TryAdd((key.Key.Start.Line, key.Key.Start.Column), key);
            }

            var shadow = new SpecReader(first.File) { ReadAs = readAs, Text = first.Text };
            parse(shadow);
            foreach (var error in shadow.SortedErrors().Where(seen.Add))
            {
                if (readAs.Values.Where(k => k.Holds(error)).OrderByDescending(k => k.Value.Start.Index).FirstOrDefault() is { } under)
                {
                    found.Add(error with { Message = $"{error.Message} (under '{ValueReader.Shorten(under.Written)}', checked as '{under.Meant}')" });
                }
                else if (!reported.Contains((error.Line, error.Column)))
                {
                    // A check across fields that the value, read as meant, fails at another key (maxReplicas below a
                    // misspelt replicas): the only difference from the first read is the keys read as meant. Before, it
                    // showed only once the key was fixed (known18). A place the first read has an error at already keeps that one.
                    found.Add(error with { Message = $"{error.Message} (with {Spellings(readAs.Values)})" });
                }
            }

            pending = [.. shadow.Misspelt.Where(k => !readAs.ContainsKey((k.Key.Start.Line, k.Key.Start.Column)))];
        }

        return found;
    }

    /// <summary><c>'replica' checked as 'replicas'</c>, each key read as meant, in the order of the file.</summary>
    private static string Spellings(IEnumerable<MisspeltKey> keys) =>
        string.Join(", ", keys.OrderBy(k => k.Key.Start.Index).Select(k => $"'{ValueReader.Shorten(k.Written)}' checked as '{k.Meant}'"));
}
