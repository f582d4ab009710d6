using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using GradientNode.Core.Workflows.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Specs;

/// <summary>
/// Golden folders under <c>testdata/workflows</c>: <c>valid/*</c> must parse and match <c>expected.json</c>,
/// <c>invalid/*</c> must give exactly <c>expected-errors.txt</c>. <c>UPDATE_GOLDEN=1</c> rewrites them.
/// </summary>
internal sealed partial class WorkflowParserTests
{
    private const string WorkflowFile = "workflow.yaml";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string TestDataRoot => Path.Combine(TestContext.CurrentContext.TestDirectory, "testdata", "workflows");

    public static IEnumerable<TestCaseData> ValidCases() => Cases("valid");

    public static IEnumerable<TestCaseData> InvalidCases() => Cases("invalid");

    [TestCaseSource(nameof(ValidCases))]
    public void Parse_ValidGoldenCase_ParsesAndMatchesExpected(string folder)
    {
        var result = ParseFolder(folder);
        Assert.That(result.Errors.Select(e => e.ToString()), Is.Empty);
        Assert.That(result.Spec, Is.Not.Null);

        var actual = Summarize(result.Spec!);
        if (UpdateGolden())
        {
            File.WriteAllText(SourcePath(folder, "expected.json"), actual.ToJsonString(Indented) + "\n");
            return;
        }

        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(TestDataRoot, folder, "expected.json")));
        Assert.That(JsonNode.DeepEquals(actual, expected), Is.True, actual.ToJsonString(Indented));
    }

    [TestCaseSource(nameof(InvalidCases))]
    public void Parse_InvalidGoldenCase_ReportsExpectedErrors(string folder)
    {
        var result = ParseFolder(folder);
        var actual = result.Errors.Select(e => e.ToString()).ToList();
        if (UpdateGolden())
        {
            File.WriteAllText(SourcePath(folder, "expected-errors.txt"), string.Join("\n", actual) + "\n");
            return;
        }

        var expected = File.ReadAllLines(Path.Combine(TestDataRoot, folder, "expected-errors.txt")).Where(line => line.Length > 0);
        Assert.That(result.Spec, Is.Null);
        Assert.That(actual, Is.EqualTo(expected));
    }

    private static WorkflowParseResult ParseFolder(string folder) =>
        WorkflowParser.Parse(WorkflowFile, File.ReadAllText(Path.Combine(TestDataRoot, folder, WorkflowFile)));

    private static IEnumerable<TestCaseData> Cases(string kind) =>
        Directory.GetDirectories(Path.Combine(TestDataRoot, kind))
            .Select(dir => $"{kind}/{Path.GetFileName(dir)}")
            .Order(StringComparer.Ordinal)
            .Select(folder => new TestCaseData(folder).SetName($"{{m}}({folder})"));

    /// <summary>The resolved model's key fields, as compared with <c>expected.json</c>.</summary>
    private static JsonObject Summarize(WorkflowSpec spec) => new()
    {
        ["timeout"] = spec.Timeout?.TotalSeconds,
        ["clusterId"] = spec.Defaults.ClusterId,
        ["notActedOn"] = Strings(spec.NotActedOn.Select(n => n.Format(WorkflowFile))),
        ["inputs"] = Strings(spec.Inputs.Select(Describe)),
        ["jobs"] = new JsonArray([.. spec.Jobs.Select(job => (JsonNode)new JsonObject
        {
            ["id"] = job.Id,
            ["uses"] = job.Uses,
            ["with"] = job.With is ContainerActionSpec c
                ? $"image={c.Image} command=[{string.Join(", ", c.Command ?? default)}] args=[{string.Join(", ", c.Args)}]"
                : job.With.ToString(),
            ["needs"] = Strings(job.Needs),
            ["inputs"] = Strings(job.Inputs.Select(i => $"{i.Name}: {i.Kind} <- {(i.Source.Inline is { } inline ? Describe(inline) : i.Source.ToString())}{(i.Optional ? " (optional)" : string.Empty)}")),
            ["outputs"] = Strings(job.Outputs.Select(o => $"{o.Name}: {o.Kind}{(o.DatasetRef is null ? string.Empty : $" -> {o.DatasetRef}")}")),
            ["env"] = Strings(job.Env.Select(e => $"{e.Name}={e.Value}")),
            ["resources"] = $"{job.Resources.InstanceType} [{string.Join(", ", job.Resources.ContainerRegistries)}]",
            ["timeout"] = job.Timeout?.TotalSeconds,
        })]),
    };

    private static string Describe(WorkflowInputSpec input) =>
        $"{input.Name}: {input.Kind}{(input.DatasetRef is null ? string.Empty : $" ref={input.DatasetRef}")}{(input.Value is null ? string.Empty : $" value={input.Value}")}{(input.Optional ? " (optional)" : string.Empty)}{(input.IsRequired ? " (required)" : string.Empty)}";

    private static JsonArray Strings(IEnumerable<string> items) => new([.. items.Select(i => (JsonNode)i)]);

    private static bool UpdateGolden() => Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1";

    private static string SourcePath(string folder, string file, [CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "testdata", "workflows", folder, file);
}
