using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Specs;

/// <summary>
/// Golden folders under <c>testdata/specs</c>: <c>valid/*</c> must parse (and match <c>expected.json</c>
/// when present), <c>invalid/*</c> must give exactly <c>expected-errors.txt</c>.
/// Set <c>UPDATE_GOLDEN=1</c> to rewrite the expected files in the source tree from the current output.
/// </summary>
internal sealed partial class SpecParserTests
{
    private const string SpecFile = "spec.yaml";

    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    private static string TestDataRoot => Path.Combine(TestContext.CurrentContext.TestDirectory, "testdata", "specs");

    public static IEnumerable<TestCaseData> ValidCases() => Cases("valid");

    public static IEnumerable<TestCaseData> InvalidCases() => Cases("invalid");

    [TestCaseSource(nameof(ValidCases))]
    public void Parse_ValidGoldenCase_ParsesAndMatchesExpected(string folder)
    {
        var result = Parse(folder);
        Assert.That(result.Errors.Select(e => e.ToString()), Is.Empty);
        Assert.That(result.Spec, Is.Not.Null);

        var actual = Summarize(result.Spec!);
        var expectedPath = Path.Combine(TestDataRoot, folder, "expected.json");
        if (UpdateGolden())
        {
            File.WriteAllText(SourcePath(folder, "expected.json"), actual.ToJsonString(Compact) + "\n");
            return;
        }

        if (File.Exists(expectedPath))
        {
            var expected = JsonNode.Parse(File.ReadAllText(expectedPath));
            Assert.That(JsonNode.DeepEquals(actual, expected), Is.True, actual.ToJsonString(Compact));
        }
    }

    [TestCaseSource(nameof(InvalidCases))]
    public void Parse_InvalidGoldenCase_ReportsExpectedErrors(string folder)
    {
        var result = Parse(folder);
        var actual = result.Errors.Select(e => e.ToString()).ToList();
        if (UpdateGolden())
        {
            File.WriteAllText(SourcePath(folder, "expected-errors.txt"), string.Join("\n", actual) + "\n");
            return;
        }

        var expected = File.ReadAllLines(Path.Combine(TestDataRoot, folder, "expected-errors.txt"))
            .Where(line => line.Length > 0);
        Assert.That(result.Spec, Is.Null);
        Assert.That(actual, Is.EqualTo(expected));
    }

    private static SpecParseResult Parse(string folder) =>
        SpecParser.Parse(SpecFile, File.ReadAllText(Path.Combine(TestDataRoot, folder, SpecFile)));

    private static IEnumerable<TestCaseData> Cases(string kind)
    {
        var root = Path.Combine(TestContext.CurrentContext.TestDirectory, "testdata", "specs", kind);
        return Directory.GetDirectories(root)
            .Select(dir => $"{kind}/{Path.GetFileName(dir)}")
            .Order(StringComparer.Ordinal)
            .Select(folder => new TestCaseData(folder).SetName($"{{m}}({folder})"));
    }

    /// <summary>Key fields of a parsed spec, as compared with <c>expected.json</c>.</summary>
    private static JsonObject Summarize(DeploymentSpec spec) => new()
    {
        ["name"] = spec.Name,
        ["slug"] = spec.Slug,
        ["apiVersion"] = spec.ApiVersion,
        ["dialect"] = spec.Dialect.ToString(),
        ["image"] = spec.Image,
        ["enabled"] = spec.Enabled,
        ["machineType"] = spec.Resources.MachineType,
        ["ports"] = new JsonArray([.. spec.Resources.Ports.Select(p => (JsonNode)p)]),
        ["replicas"] = spec.Resources.Replicas,
        ["maxReplicas"] = spec.Resources.Autoscaling?.MaxReplicas,
        ["env"] = new JsonArray([.. spec.Env.Select(e => (JsonNode)$"{e.Name}={e.Value}")]),
        ["integrations"] = new JsonArray([.. spec.Integrations.Select(i => (JsonNode)$"{i.Type}:{i.Name}@{i.MountPath}")]),
        ["probes"] = new JsonArray([.. Probes(spec.HealthChecks).Select(p => (JsonNode)p)]),
        ["models"] = new JsonArray([.. spec.Models.Select(m => (JsonNode)$"{m.Id}@{m.Path}")]),
        ["repositories"] = spec.Repositories is { } r
            ? $"{r.Dataset}@{r.MountPath}:{string.Join(",", r.Repositories.Select(x => $"{x.Name}/{x.Password}"))}"
            : null,
        ["basicAuthKey"] = spec.BasicAuthKey?.ToString(),
    };

    private static IEnumerable<string> Probes(HealthChecksSpec checks)
    {
        foreach (var (name, probe) in new[] { ("liveness", checks.Liveness), ("readiness", checks.Readiness), ("startup", checks.Startup) })
        {
            if (probe is not null)
            {
                var target = probe.Action == ProbeAction.Http ? $"{probe.Path}:{probe.Port}" : string.Join(" ", probe.ExecCommand);
                yield return $"{name}:{probe.Action}:{target}:{probe.InitialDelaySeconds}/{probe.PeriodSeconds}/{probe.TimeoutSeconds}/{probe.FailureThreshold}";
            }
        }
    }

    private static bool UpdateGolden() => Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1";

    private static string SourcePath(string folder, string file, [CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "testdata", "specs", folder, file);
}
