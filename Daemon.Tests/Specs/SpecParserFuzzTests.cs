using System.Diagnostics;
using System.Text.RegularExpressions;
using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Specs;

/// <summary>
/// The fuzz test of issue 13: at least 10,000 generated hostile specs through <see cref="SpecParser"/>; each
/// must give a spec or errors that all carry <c>file:line:col</c>, never an exception.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed partial class SpecParserFuzzTests
{
    public const int Seed = 20261201;

    private const int Count = 10_000;

    [Test]
    public void Parse_TenThousandMutatedSpecs_NeverThrowsAndLocatesEveryError()
    {
        var mutator = new SpecMutator(SpecMutator.LoadSeeds(), Seed);
        var started = Stopwatch.GetTimestamp();
        int valid = 0, invalid = 0;
        var failures = new List<string>();
        for (var i = 0; i < Count; i++)
        {
            var text = mutator.Next();
            try
            {
                var result = SpecParser.Parse("spec.yaml", text);
                if (result.Spec is not null == !result.Errors.IsEmpty)
                {
                    failures.Add($"#{i}: spec and errors both {(result.Spec is null ? "absent" : "present")}");
                }

                foreach (var error in result.Errors.Where(e => !Located().IsMatch(e.ToString())))
                {
                    failures.Add($"#{i}: unlocated error '{error}'");
                }

                _ = result.IsValid ? valid++ : invalid++;
            }
            catch (Exception e)
            {
                failures.Add($"#{i}: {e.GetType().Name}: {e.Message}\n---\n{Preview(text)}\n---");
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        TestContext.Progress.WriteLine($"fuzz: {Count} specs ({valid} valid, {invalid} with errors) in {elapsed.TotalSeconds:0.0} s, seed {Seed}");
        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(10)));
        Assert.That(valid, Is.GreaterThan(0), "some mutants should stay valid");
    }

    private static string Preview(string text) => text.Length <= 400 ? text : text[..400] + $"... ({text.Length} characters)";

    [GeneratedRegex(@"^spec\.yaml:[1-9][0-9]*:[1-9][0-9]*: \S", RegexOptions.Singleline)]
    private static partial Regex Located();
}
