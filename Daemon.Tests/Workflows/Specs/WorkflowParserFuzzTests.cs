using System.Diagnostics;
using System.Text.RegularExpressions;
using GradientNode.Core.Workflows.Specs;
using GradientNode.Tests.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Specs;

/// <summary>
/// The workflow counterpart of <see cref="SpecParserFuzzTests"/>: generated hostile workflow files (mutations of every
/// golden case's workflow.yaml) through <see cref="WorkflowParser"/>, and hostile inputs files through
/// <see cref="WorkflowInputsParser"/> against the valid cases; each must give a result or located errors, never an
/// exception (a workflow file reaches the daemon through <c>POST /v1/workflows/NAME/runs</c> and the specs dir).
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class WorkflowParserFuzzTests
{
    private const int Seed = 20261205;

    private const int Count = 4_000;

    private static string Root => Path.Combine(TestContext.CurrentContext.TestDirectory, "testdata", "workflows");

    [Test]
    public void Parse_FourThousandMutatedWorkflows_NeverThrowsAndLocatesEveryError()
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = ParserFuzz.Run(new SpecMutator(Seeds("*"), Seed), Count, text =>
        {
            var result = WorkflowParser.Parse("workflow.yaml", text);
            return (result.IsValid, ParserFuzz.Problems(result.Spec is not null, result.Errors, Located("workflow.yaml")));
        });

        TestContext.Progress.WriteLine($"fuzz: {Count} workflows ({outcome.Valid} valid, {outcome.Invalid} with errors) in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s, seed {Seed}");
        Assert.That(outcome.Failures, Is.Empty, string.Join("\n", outcome.Failures.Take(10)));
        Assert.That(outcome.Valid, Is.GreaterThan(0), "some mutants should stay valid");
    }

    [Test]
    public void ParseInputs_TwoThousandMutatedInputsFiles_NeverThrowsAndLocatesEveryError()
    {
        var workflows = Seeds("valid").Select(t => (Text: t, Spec: WorkflowParser.Parse("workflow.yaml", t).Spec!)).ToList();
        Assert.That(workflows.Select(w => w.Spec), Has.None.Null);
        string[] inputs =
        [
            "inputs:\n  data: {ref: mnist:latest}\n  lr: {value: \"0.1\"}\n",
            "{\"inputs\": {\"data\": {\"id\": \"dsv-1\"}, \"name\": {\"value\": \"x\"}}}\n",
            "inputs:\n  data:\n    ref: a\n    id: b\n  other: {value: 1}\n",
        ];
        var random = new Random(Seed);
        var outcome = ParserFuzz.Run(new SpecMutator(inputs, Seed), Count / 2, text =>
        {
            var workflow = workflows[random.Next(workflows.Count)];
            var result = WorkflowInputsParser.Parse(workflow.Spec, ("workflow.yaml", workflow.Text), "inputs.yaml", text);
            return (result.Errors.IsEmpty, result.Errors.Where(e => !Located("(inputs|workflow)\\.yaml").IsMatch(e.ToString())).Select(e => $"unlocated error '{e}'"));
        });

        Assert.That(outcome.Failures, Is.Empty, string.Join("\n", outcome.Failures.Take(10)));
    }

    private static List<string> Seeds(string kind)
    {
        var files = Directory.EnumerateFiles(kind == "*" ? Root : Path.Combine(Root, kind), "workflow.yaml", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.That(files, Has.Count.GreaterThan(3), "fuzz seeds");
        return [.. files.Select(File.ReadAllText)];
    }

    private static Regex Located(string file) => new($"^{file}:[1-9][0-9]*:[1-9][0-9]*: \\S", RegexOptions.Singleline);
}
