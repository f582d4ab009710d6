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
        var started = Stopwatch.GetTimestamp();
        var outcome = ParserFuzz.Run(new SpecMutator(SpecMutator.LoadSeeds(), Seed), Count, text =>
        {
            var result = SpecParser.Parse("spec.yaml", text);
            return (result.IsValid, ParserFuzz.Problems(result.Spec is not null, result.Errors, Located()));
        });

        TestContext.Progress.WriteLine($"fuzz: {Count} specs ({outcome.Valid} valid, {outcome.Invalid} with errors) in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s, seed {Seed}");
        Assert.That(outcome.Failures, Is.Empty, string.Join("\n", outcome.Failures.Take(10)));
        Assert.That(outcome.Valid, Is.GreaterThan(0), "some mutants should stay valid");
    }

    [GeneratedRegex(@"^spec\.yaml:[1-9][0-9]*:[1-9][0-9]*: \S", RegexOptions.Singleline)]
    private static partial Regex Located();
}
