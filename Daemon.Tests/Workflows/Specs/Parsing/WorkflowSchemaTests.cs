using System.Text.Json;
using System.Text.RegularExpressions;
using GradientNode.Core.Workflows.Specs;
using GradientNode.Core.Workflows.Specs.Parsing;
using GradientNode.Tests.Specs.Parsing;
using Json.Schema;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Specs.Parsing;

/// <summary>
/// The workflow JSON Schema against the parser's golden cases (the seed examples among them): every valid case
/// validates, and every invalid case fails, except the ones whose only rules span fields; those rules are listed in
/// <see cref="CrossFieldRules"/>, each with a file the schema accepts and the parser rejects.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class WorkflowSchemaTests
{
    /// <summary>Invalid golden cases the schema cannot catch: every error in them is a cross-field rule.</summary>
    private static readonly Dictionary<string, string> BeyondTheSchema = new(StringComparer.Ordinal)
    {
        ["missing-required-input"] = "an inline input needs with.ref/with.value or optional: true: two fields",
        ["output-name-twice"] = "output names unique across jobs",
        ["output-without-needs"] = "JOB.outputs.NAME needs JOB in needs: two fields",
        ["url-password"] = "git URLs follow git's rules, and hold no password: the parser's",
    };

    /// <summary>The rules only the parser checks, each with a workflow that breaks only it (docs/reference/cli.md lists them).</summary>
    private static readonly Dictionary<string, string> CrossFieldRules = new(StringComparer.Ordinal)
    {
        ["needs names an existing job"] = Jobs("  a:\n    needs: nowhere\n" + Busybox),
        ["needs form no cycle"] = Jobs("  a:\n    needs: b\n" + Busybox + "  b:\n    needs: a\n" + Busybox),
        ["an alias names an existing input or output"] = Jobs("  a:\n    inputs:\n      x: workflow.inputs.missing\n" + Busybox),
        ["JOB.outputs.NAME needs JOB in needs"] = Jobs("  a:\n    outputs: {o: {type: string}}\n" + Busybox + "  b:\n    inputs: {o: a.outputs.o}\n" + Busybox),
        ["a job cannot take its own outputs"] = Jobs("  a:\n    needs: []\n    outputs: {o: {type: string}}\n    inputs: {i: a.outputs.o}\n" + Busybox),
        ["output names are unique in the workflow"] = Jobs("  a:\n    outputs: {o: {type: string}}\n" + Busybox + "  b:\n    outputs: {o: {type: string}}\n" + Busybox),
        ["an inline input has a default or optional: true"] = Jobs("  a:\n    inputs: {d: {type: dataset}}\n" + Busybox),
        ["with.path names a volume or dataset output of the job"] = Jobs("  a:\n    uses: git-checkout@v1\n    with: {url: https://example.com/r.git, path: /outputs/other}\n    outputs: {repo: {type: volume}}\n"),
        ["with.path leaves no dataset output of the job unwritten"] = Jobs("  a:\n    uses: git-checkout@v1\n    with: {url: https://example.com/r.git, path: /outputs/repo}\n    outputs: {repo: {type: volume}, ds: {type: dataset, with: {ref: d}}}\n"),
        ["git-checkout@v1 and s3-download@v1 need a volume or dataset output"] = Jobs("  a:\n    uses: git-checkout@v1\n    with: {url: https://example.com/r.git}\n"),
        ["create-model@v1 needs input model and output model-id"] = Jobs("  a:\n    uses: create-model@v1\n    with: {name: m, type: onnx}\n"),
        ["instance-type is in the node's machine-type table"] = Jobs("  a:\n    resources: {instance-type: P9000}\n" + Busybox),
        ["git URLs and refs follow git's rules"] = Jobs("  a:\n    uses: git-checkout@v1\n    with: {url: https://example.com/r.git, ref: bad..ref}\n    outputs: {repo: {type: volume}}\n"),
    };

    private const string Busybox = "    uses: container@v1\n    with: {image: busybox}\n";

    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(WorkflowSchema.Workflow()));

    private static string Root => Path.Combine(TestContext.CurrentContext.TestDirectory, "testdata", "workflows");

    public static IEnumerable<TestCaseData> ValidCases() => Cases("valid");

    public static IEnumerable<TestCaseData> InvalidCases() => Cases("invalid");

    public static IEnumerable<TestCaseData> Rules() => CrossFieldRules.Keys.Select(rule => new TestCaseData(rule).SetName($"{{m}}({rule})"));

    [TestCaseSource(nameof(ValidCases))]
    public void Workflow_ValidGoldenCase_Validates(string name)
    {
        var errors = Evaluate(File.ReadAllText(Path.Combine(Root, "valid", name, "workflow.yaml")));

        Assert.That(errors, Is.Empty);
    }

    [TestCaseSource(nameof(InvalidCases))]
    public void Workflow_InvalidGoldenCase_FailsUnlessBeyondTheSchema(string name)
    {
        var errors = Evaluate(File.ReadAllText(Path.Combine(Root, "invalid", name, "workflow.yaml")));

        if (BeyondTheSchema.ContainsKey(name))
        {
            Assert.That(errors, Is.Empty, $"{name} is listed as beyond the schema, but the schema catches it: drop it from the list");
        }
        else
        {
            Assert.That(errors, Is.Not.Empty, $"{name} validates against the schema");
        }
    }

    [TestCaseSource(nameof(Rules))]
    public void Workflow_CrossFieldRule_SchemaAcceptsAndTheParserRejects(string rule)
    {
        var yaml = CrossFieldRules[rule];

        Assert.That(Evaluate(yaml), Is.Empty, "the schema catches it: move the rule out of the cross-field list");
        Assert.That(WorkflowParser.Parse("workflow.yaml", yaml).Errors, Is.Not.Empty, "the parser accepts it");
    }

    [TestCase("jobs: {a: {uses: container@v1, with: {image: busybox, entrypoint: sh}}}", TestName = "{m}(unknown key in with)")]
    [TestCase("jobs: {a: {uses: script@v1, with: {image: busybox}}}", TestName = "{m}(script without script)")]
    [TestCase("jobs: {a: {uses: container@v1, with: {image: busybox}, env: [{name: A, value: b}]}}", TestName = "{m}(env as a list)")]
    [TestCase("jobs: {a: {uses: container@v1, with: {image: busybox}, env: {A: 'secret:not a name'}}}", TestName = "{m}(malformed secret)")]
    [TestCase("jobs: {a: {uses: container@v1, with: {image: busybox, args: ['secret:x']}}}", TestName = "{m}(secret in args)")]
    [TestCase("jobs: {a: {uses: container@v1, with: {image: '-busybox'}}}", TestName = "{m}(image starting with a dash)")]
    [TestCase("jobs: {a: {uses: container@v1, with: {image: busybox}, timeout: 2592001}}", TestName = "{m}(timeout over 30 days)")]
    [TestCase("jobs: {a: {uses: container@v1, with: {image: busybox}, outputs: {o: {type: dataset, with: {ref: x, id: y}}}}}", TestName = "{m}(ref and id)")]
    [TestCase("jobs: {a: {uses: container@v1, with: {image: busybox}, needs: [b, b]}}", TestName = "{m}(a need listed twice)")]
    [TestCase("inputs: {a: {type: volume, with: {}}}\njobs: {}", TestName = "{m}(a volume with with)")]
    [TestCase("name: w\njobs: {}", TestName = "{m}(a workflow name)")]
    [TestCase("jobs: {a: {uses: container@v1, with: {image: busybox}, outputs: {o: {type: dataset, with: {ref: 'out:abc1234'}}}}}", TestName = "{m}(an output ref naming a version)")]
    [TestCase("inputs: {d: {type: dataset, with: {ref: 'team/data'}}}\njobs: {}", TestName = "{m}(a dataset ref the store cannot resolve)")]
    public void Workflow_BrokenSnippet_BothTheSchemaAndTheParserReject(string yaml)
    {
        Assert.That(Evaluate(yaml), Is.Not.Empty, "the schema accepts it");
        Assert.That(WorkflowParser.Parse("workflow.yaml", yaml).Errors, Is.Not.Empty, "the parser accepts it");
    }

    [Test]
    public void Workflow_MoreJobsThanAWorkflowMayHave_BothTheSchemaAndTheParserReject()
    {
        var max = GradientNode.Core.Workflows.Runs.RunLimits.MaxJobs;
        string Many(int count) => Jobs(string.Concat(Enumerable.Range(0, count).Select(i => $"  j{i}:\n" + Busybox)));

        Assert.Multiple(() =>
        {
            Assert.That(Evaluate(Many(max + 1)), Is.Not.Empty, "the schema accepts it");
            Assert.That(WorkflowParser.Parse("workflow.yaml", Many(max + 1)).Errors, Is.Not.Empty, "the parser accepts it");
            Assert.That(Evaluate(Many(max)), Is.Empty, "the schema refuses as many jobs as a workflow may have");
        });
    }

    [Test]
    public void Workflow_ScriptDescription_NamesBashAsTheJobRunsIt()
    {
        // ContainerJobExecutor runs a script@v1 job's script with `bash -c` (workflow-spec.md: the image must have bash);
        // the schema told editors "run by sh", so a script written for sh alone looked right.
        var script = WorkflowShapes.With[WorkflowAction.Script]["script"];

        Assert.That(script.Description, Does.Contain("bash").And.Not.Contain(" sh"));
    }

    [Test]
    public void Workflow_EveryReaderKey_IsAPropertyOfTheSchema()
    {
        using var schema = JsonDocument.Parse(WorkflowSchema.Workflow());
        var top = schema.RootElement.GetProperty("properties");
        var jobs = top.GetProperty("jobs").GetProperty("additionalProperties").GetProperty("anyOf").EnumerateArray().ToList();

        Assert.Multiple(() =>
        {
            Assert.That(top.EnumerateObject().Select(p => p.Name), Is.EqualTo(WorkflowShapes.Workflow.Keys));
            Assert.That(jobs.Select(j => j.GetProperty("properties").GetProperty("uses").GetProperty("enum")[0].GetString()), Is.EqualTo(WorkflowActions.All));
            Assert.That(jobs.Select(j => j.GetProperty("properties").EnumerateObject().Select(p => p.Name)), Has.All.EqualTo(WorkflowShapes.JobKeys));
            Assert.That(WorkflowShapes.JobKeys, Is.EqualTo(new[] { "uses", "with", "needs", "inputs", "outputs", "env", "resources", "timeout" }));
        });
    }

    [TestCase("a")]
    [TestCase("job-1_x")]
    [TestCase("1job")]
    [TestCase("job.2")]
    [TestCase("-a")]
    [TestCase("a/b")]
    public void NamePattern_SampleName_AgreesWithTheParsersNameRule(string name)
    {
        Assert.That(Regex.IsMatch(name, WorkflowShapes.NamePattern), Is.EqualTo(WorkflowNames.IsValid(name)));
        Assert.That(Regex.IsMatch(new string('a', 65), WorkflowShapes.NamePattern), Is.EqualTo(WorkflowNames.IsValid(new string('a', 65))));
    }

    private static string Jobs(string body) => "jobs:\n" + body;

    private static List<string> Evaluate(string yaml)
    {
        var json = YamlToJson.Convert(yaml, out var parsed);
        if (!parsed)
        {
            return ["not YAML"];
        }

        using var document = JsonDocument.Parse(json?.ToJsonString() ?? "null");
        var result = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid ? [] : [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).DefaultIfEmpty("invalid")];
    }

    private static IEnumerable<TestCaseData> Cases(string kind) =>
        Directory.GetDirectories(Path.Combine(Root, kind))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .Select(name => new TestCaseData(name).SetName($"{{m}}({name})"));
}
