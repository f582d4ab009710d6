using System.Text.Json;
using GradientNode.Core.Specs.Parsing;
using Json.Schema;
using NUnit.Framework;

namespace GradientNode.Tests.Specs.Parsing;

/// <summary>
/// The deployment JSON Schema against the parser's golden cases: every valid case (the seed examples among them)
/// validates, and every invalid case fails, except the ones whose rule spans fields or needs more than a schema says.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class SpecSchemaTests
{
    /// <summary>Invalid cases the schema cannot catch, each with the parser's rule that does.</summary>
    private static readonly Dictionary<string, string> BeyondTheSchema = new(StringComparer.Ordinal)
    {
        ["autoscaling-zero-replicas"] = "autoscaling needs replicas >= 1: two fields",
        ["duplicate-integration-names"] = "names unique across list items",
        ["duplicate-mount-paths"] = "mount paths unique across list items",
        ["max-replicas-below-replicas"] = "maxReplicas >= replicas: two fields",
        ["path-root-and-dot"] = "mount path rules (no '/', no '.' segments)",
        ["legacy-paths"] = "mount path rules (absolute, not '/'); the schema failed it only for a missing repositories list, which the parser takes",
        ["both-healthchecks-keys"] = "healthChecks and its alias healthchecks both given: two fields",
        ["bad-image-reference"] = "the image reference grammar (registry, repository, tag, digest)",
        ["nul-in-env-and-command"] = "no NUL character in env values and command arguments",
    };

    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(SpecSchema.Deployment()));

    private static string Root => Path.Combine(TestContext.CurrentContext.TestDirectory, "testdata", "specs");

    public static IEnumerable<TestCaseData> ValidCases() => Cases("valid");

    public static IEnumerable<TestCaseData> InvalidCases() => Cases("invalid");

    [TestCaseSource(nameof(ValidCases))]
    public void Deployment_ValidGoldenCase_Validates(string name)
    {
        var (parsed, errors) = Evaluate(File.ReadAllText(Path.Combine(Root, "valid", name, "spec.yaml")));

        Assert.That(parsed && errors.Count == 0, Is.True, string.Join("\n", errors));
    }

    [TestCaseSource(nameof(InvalidCases))]
    public void Deployment_InvalidGoldenCase_FailsUnlessBeyondTheSchema(string name)
    {
        var (parsed, errors) = Evaluate(File.ReadAllText(Path.Combine(Root, "invalid", name, "spec.yaml")));

        if (BeyondTheSchema.ContainsKey(name))
        {
            Assert.That(parsed && errors.Count == 0, Is.True, $"{name} is listed as beyond the schema, but the schema catches it: drop it from the list");
        }
        else
        {
            Assert.That(!parsed || errors.Count > 0, Is.True, $"{name} validates against the schema");
        }
    }

    [Test]
    public void Deployment_UnknownKey_Fails()
    {
        var (_, errors) = Evaluate("apiVersion: v1\nname: a\nimage: b\nimagePullPolicy: Always\nresources: {machineType: C4, ports: [80]}\n");

        Assert.That(errors, Is.Not.Empty);
    }

    [Test]
    public void Deployment_EveryReaderKey_IsAPropertyOfTheSchema()
    {
        using var schema = JsonDocument.Parse(SpecSchema.Deployment());
        var dialects = schema.RootElement.GetProperty("anyOf").EnumerateArray().ToList();
        var current = dialects[0].GetProperty("properties").EnumerateObject().Select(p => p.Name);
        var legacy = dialects[1].GetProperty("properties").EnumerateObject().Select(p => p.Name);

        Assert.Multiple(() =>
        {
            Assert.That(current, Is.EqualTo(SpecShapes.Current.Keys));
            Assert.That(legacy, Is.EqualTo(SpecShapes.Legacy.Keys));
            Assert.That(current, Does.Contain("basicAuthKey").And.Contain("integrations"));
            Assert.That(legacy, Does.Contain("port").And.Contain("models"));
        });
    }

    [Test]
    public void Deployment_LegacyRepositoriesWithoutTheirList_ValidAsTheParserTakesIt()
    {
        // The parser takes a repositories block without its list (nothing to clone, spec.md: default []); the schema
        // said the list was required, so an editor marked a spec the node runs as wrong.
        const string yaml = "apiVersion: v0alpha0\nimage: b\nport: 80\nrepositories:\n  dataset: src\nresources:\n  instanceType: C4\n";
        var parsed = GradientNode.Core.Specs.SpecParser.Parse("legacy.yaml", yaml);

        var (_, errors) = Evaluate(yaml);

        Assert.Multiple(() =>
        {
            Assert.That(parsed.IsValid, Is.True, string.Join("\n", parsed.Errors));
            Assert.That(errors, Is.Empty);
        });
    }

    private static (bool Parsed, List<string> Errors) Evaluate(string yaml)
    {
        var json = YamlToJson.Convert(yaml, out var parsed);
        if (!parsed)
        {
            return (false, ["not YAML"]);
        }

        using var document = JsonDocument.Parse(json?.ToJsonString() ?? "null");
        var result = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return (true, result.IsValid ? [] : [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).DefaultIfEmpty("invalid")]);
    }

    private static IEnumerable<TestCaseData> Cases(string kind) =>
        Directory.GetDirectories(Path.Combine(TestContext.CurrentContext.TestDirectory, "testdata", "specs", kind))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .Select(name => new TestCaseData(name).SetName($"{{m}}({name})"));
}
