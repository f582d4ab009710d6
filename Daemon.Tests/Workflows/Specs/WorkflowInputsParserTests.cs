using GradientNode.Core.Specs;
using GradientNode.Core.Workflows.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Specs;

[TestFixture]
[Category("Unit")]
internal sealed class WorkflowInputsParserTests
{
    private const string Workflow = """
        inputs:
          data:
            type: dataset
          echo:
            type: string
            with:
              value: hello
          maybe:
            type: string
            optional: true
          scratch:
            type: volume
        jobs: {}
        """;

    private static readonly WorkflowSpec Spec = WorkflowParser.Parse("wf.yaml", Workflow).Spec!;

    [TestCase("inputs:\n  count: {value: '3'}\n", true)]
    [TestCase("{\"inputs\": {\"data\": {\"ref\": \"raw:2\"}}}", true)]
    [TestCase("inputs:\n  a: {type: string}\njobs:\n  j: {uses: container@v1}\n", false)]
    [TestCase("name: web\nimage: a:1\n", false)]
    [TestCase("inputs: 3\n", false)]
    [TestCase("inputs: [\n", false)]
    public void LooksLikeInputsFile_OneKeyInputsHoldingAMapping_True(string text, bool expected) =>
        Assert.That(WorkflowInputsParser.LooksLikeInputsFile(text), Is.EqualTo(expected));

    [Test]
    public void Parse_GradientJsonWithIdAndValue_OverridesDefaultsAndKeepsVolume()
    {
        var result = WorkflowInputsParser.Parse(Spec, ("wf.yaml", Workflow), "in.json", """{"inputs": {"data": {"id": "test-one"}, "echo": {"value": "hello world"}}}""");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.Empty);
        Assert.That(result.Values, Is.EqualTo(new[]
        {
            new WorkflowInputValue("data", WorkflowValueKind.Dataset, "test-one", null, new SpecPosition("in.json", 1, 28)),
            new WorkflowInputValue("echo", WorkflowValueKind.String, null, "hello world", new SpecPosition("in.json", 1, 59)),
            new WorkflowInputValue("scratch", WorkflowValueKind.Volume, null, null),
        }));
    }

    [Test]
    public void Parse_NothingGivenForAnInputWithADefault_TheValueIsLocatedAtTheWorkflowFilesWith()
    {
        var result = WorkflowInputsParser.Parse(Spec, ("wf.yaml", Workflow), "in.json", """{"inputs": {"data": {"ref": "d"}}}""");

        Assert.That(result.Values!.Value.AsEnumerable().Single(v => v.Name == "echo"), Is.EqualTo(new WorkflowInputValue("echo", WorkflowValueKind.String, null, "hello", new SpecPosition("wf.yaml", 7, 14))));
    }

    [Test]
    public void Parse_NoInputsFile_MissingRequiredInputLocatedAtItsDeclaration()
    {
        var result = WorkflowInputsParser.Parse(Spec, ("wf.yaml", Workflow), null, null);

        Assert.That(result.Values, Is.Null);
        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            """wf.yaml:2:3: inputs.data: required input not given (no with default, not optional); give it in the run's inputs file (gradient-node workflows run -f wf.yaml --inputs INPUTS.yaml), e.g. {"inputs": {"data": {"ref": "DATASET"}}}""",
        }));
    }

    [Test]
    public void Parse_UnknownNameWrongKeyAndVolumeValue_ReportsEachAtItsLine()
    {
        var result = WorkflowInputsParser.Parse(Spec, ("wf.yaml", Workflow), "in.yaml", """
            inputs:
              data: {value: x}
              nope: {value: y}
              scratch: {value: z}
            """);

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "in.yaml:2:9: inputs.data: missing required field 'ref'",
            "in.yaml:2:10: unknown field 'value' in inputs.data",
            "in.yaml:3:3: inputs.nope: the workflow has no input 'nope' (declared: data, echo, maybe, scratch)",
            "in.yaml:4:3: inputs.scratch: a volume input starts empty; it takes no value",
        }));
    }

    [Test]
    public void Parse_InputNameOneTypoAway_SaysWhichDeclaredInputWasMeant()
    {
        var result = WorkflowInputsParser.Parse(Spec, ("wf.yaml", Workflow), "in.yaml", """
            inputs:
              data: {ref: images}
              ehco: {value: y}
            """);

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "in.yaml:3:3: inputs.ehco: the workflow has no input 'ehco' (declared: data, echo, maybe, scratch); did you mean 'echo'?",
        }));
    }

    [TestCase("")]
    [TestCase("# nothing yet\n\n")]
    public void Parse_EmptyInputsFile_SaysSoInsteadOfAnEmptySpec(string text)
    {
        var result = WorkflowInputsParser.Parse(Spec, ("wf.yaml", Workflow), "in.json", text);

        Assert.That(result.Errors.Select(e => e.ToString()).First(), Is.EqualTo("in.json:1:1: the inputs file is empty; expected {\"inputs\": {NAME: {\"ref\": DATASET} or {\"value\": TEXT}}}"));
    }

    [Test]
    public void Parse_InputsWithoutTheInputsKey_SaysWhereTheyGo()
    {
        var result = WorkflowInputsParser.Parse(Spec, ("wf.yaml", Workflow), "in.json", """{"data": {"ref": "src"}}""");

        Assert.That(result.Errors.Select(e => e.ToString()), Does.Contain("in.json:1:1: the run's inputs go under a top-level 'inputs' key: {\"inputs\": {NAME: {\"ref\": DATASET} or {\"value\": TEXT}}}"));
    }

    [Test]
    public void Parse_MisspeltInputWithoutTheInputsKey_AlsoSaysWhereTheyGo()
    {
        // Before: only "unknown field 'ehco'", as if another top-level key would do.
        var result = WorkflowInputsParser.Parse(Spec, ("wf.yaml", Workflow), "in.yaml", "ehco:\n  value: y\n");

        Assert.That(result.Errors.Select(e => e.ToString()).Take(2), Is.EqualTo(new[]
        {
            "in.yaml:1:1: unknown field 'ehco'",
            "in.yaml:1:1: the run's inputs go under a top-level 'inputs' key: {\"inputs\": {NAME: {\"ref\": DATASET} or {\"value\": TEXT}}}",
        }));
    }

    [Test]
    public void Parse_MisspeltInputsKey_SuggestsItWithoutTheShapeHint()
    {
        var result = WorkflowInputsParser.Parse(Spec, ("wf.yaml", Workflow), "in.yaml", "input:\n  echo: {value: y}\n");

        Assert.That(result.Errors.Select(e => e.ToString()), Has.None.Contains("go under a top-level"));
        Assert.That(result.Errors.Select(e => e.ToString()), Has.Some.Contains("did you mean 'inputs'?"));
    }

    [Test]
    public void Parse_InputWrittenAsTheWorkflowDeclaresIt_SaysARunGivesTheValueAlone()
    {
        // The workflow file's shape copied into the inputs file: {type, with: {value}} instead of {value}.
        var result = WorkflowInputsParser.Parse(Spec, ("wf.yaml", Workflow), "in.yaml", """
            inputs:
              data:
                type: dataset
                with:
                  ref: images
              echo:
                type: string
                with: {value: y}
            """);

        // Before: "unknown field 'type'", "missing required field 'ref'" and "unknown field 'with'" for each.
        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "in.yaml:2:3: inputs.data: a run's input is given as data: {ref: images}, not in the workflow file's form {type, with: …}",
            "in.yaml:6:3: inputs.echo: a run's input is given as echo: {value: TEXT}, not in the workflow file's form {type, with: …}",
        }));
    }

    [Test]
    public void Parse_InputsGivenAsBareValues_SaysTheMappingEachOneTakes()
    {
        // A flat map of values, as Argo's -p echo=hi gives them. Before: "inputs.echo: expected a mapping, got 'hi'",
        // which named neither the key (value or ref) nor the shape.
        var result = WorkflowInputsParser.Parse(Spec, ("wf.yaml", Workflow), "in.yaml", "inputs:\n  data: images:v2\n  echo: hi\n");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "in.yaml:2:9: inputs.data: a run's input is given as data: {ref: images:v2}, not as a bare value",
            "in.yaml:3:9: inputs.echo: a run's input is given as echo: {value: hi}, not as a bare value",
        }));
    }

    [TestCase("""{"inputs": {"data": {"ref": "d"}, "echo": {"value": ""}}}""", "")]
    [TestCase("inputs:\n  data: {ref: d}\n  echo: {value: '  '}\n", "  ")]
    public void Parse_StringInputGivenEmptyOrBlank_IsThatValueNotAMissingOne(string text, string expected)
    {
        // An empty string is a string (the workflow file's with: {value: ""} was taken). Before, the run's inputs file
        // giving one was refused: "inputs.echo: missing required field 'value'".
        var result = WorkflowInputsParser.Parse(Spec, ("wf.yaml", Workflow), "in.json", text);

        Assert.That(result.Errors.Select(e => e.ToString()), Is.Empty);
        Assert.That(result.Values!.Value.AsEnumerable().Single(v => v.Name == "echo").Value, Is.EqualTo(expected));
    }

    [Test]
    public void Parse_StringInputGivenNull_SaysItWasWrittenWithNoValue()
    {
        var result = WorkflowInputsParser.Parse(Spec, ("wf.yaml", Workflow), "in.yaml", "inputs:\n  data: {ref: d}\n  echo:\n    value:\n");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "in.yaml:4:5: inputs.echo.value: required, but written with no value (indent what belongs to it under 'value:')",
        }));
    }
}
