using System.Text.RegularExpressions;
using GradientNode.Core.Specs;

namespace GradientNode.Tests.Specs;

/// <summary>
/// The loop the parser fuzz tests share: <c>count</c> mutants of <see cref="SpecMutator"/> through a parser, each of
/// which must give a result or errors that all carry <c>file:line:col</c>, never an exception.
/// </summary>
internal static class ParserFuzz
{
    /// <param name="parse">A mutant's text to (whether it parsed valid, what is wrong with the result: empty when fine).</param>
    public static FuzzOutcome Run(SpecMutator mutator, int count, Func<string, (bool Valid, IEnumerable<string> Problems)> parse)
    {
        int valid = 0, invalid = 0;
        var failures = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var text = mutator.Next();
            try
            {
                var (ok, problems) = parse(text);
                failures.AddRange(problems.Select(p => $"#{i}: {p}"));
                _ = ok ? valid++ : invalid++;
            }
            catch (Exception e)
            {
                failures.Add($"#{i}: {e.GetType().Name}: {e.Message}\n---\n{Preview(text)}\n---");
            }
        }

        return new FuzzOutcome(valid, invalid, failures);
    }

    /// <summary>What is wrong with a parse result: a spec and errors both present or both absent, and each unlocated error.</summary>
    public static IEnumerable<string> Problems(bool hasSpec, IEnumerable<SpecError> errors, Regex located)
    {
        var list = errors.ToList();
        if (hasSpec == list.Count > 0)
        {
            yield return $"spec and errors both {(hasSpec ? "present" : "absent")}";
        }

        foreach (var error in list.Where(e => !located.IsMatch(e.ToString())))
        {
            yield return $"unlocated error '{error}'";
        }
    }

    private static string Preview(string text) => text.Length <= 400 ? text : text[..400] + $"... ({text.Length} characters)";
}
