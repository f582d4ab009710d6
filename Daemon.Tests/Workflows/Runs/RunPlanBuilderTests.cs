using GradientNode.Core.Workflows.Runs;
using GradientNode.Core.Workflows.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Runs;

[TestFixture]
[Category("Unit")]
internal sealed class RunPlanBuilderTests
{
    private const string Spec = """
        defaults:
          env:
            HELLO: world
            TOKEN: secret:api-token
        inputs:
          data:
            type: dataset
            with:
              ref: test-one
          echo:
            type: string
        jobs:
          job-1:
            inputs:
              data: workflow.inputs.data
              echo: workflow.inputs.echo
            outputs:
              out:
                type: string
            env:
              HELLO: job
            uses: container@v1
            with:
              image: busybox
              args: [sh, -c, "cat /inputs/echo > /outputs/out"]
            timeout: 30
        """;

    [Test]
    public void Build_InputsGiven_ReplaceDefaults_JobEnvWins_SecretStaysReference_TimeoutInSeconds()
    {
        var spec = Parse();
        var values = WorkflowInputsParser.Parse(spec, ("wf.yaml", Spec), "inputs.json", """{"inputs": {"data": {"id": "test-two"}, "echo": {"value": "hello world"}}}""");

        var (plan, errors) = RunPlanBuilder.Build("wf", spec, values.Values!);

        Assert.Multiple(() =>
        {
            Assert.That(values.Errors.Select(e => e.ToString()), Is.Empty);
            Assert.That(errors, Is.Empty);
            Assert.That(plan!.Inputs["data"].With["ref"], Is.EqualTo("test-two"));
            Assert.That(plan.Inputs["echo"].With["value"], Is.EqualTo("hello world"));
            var job = plan.Jobs.Single();
            Assert.That(job.Env, Is.EqualTo(new Dictionary<string, string> { ["HELLO"] = "job", ["TOKEN"] = "secret:api-token" }));
            Assert.That(job.EnvFromDefaults, Is.EqualTo(new[] { "TOKEN" }), "HELLO is the job's own");
            Assert.That(job.Inputs["data"].From, Is.EqualTo("workflow.inputs.data"));
            Assert.That(job.Args, Is.EqualTo(new[] { "sh", "-c", "cat /inputs/echo > /outputs/out" }));
            Assert.That(job.TimeoutSeconds, Is.EqualTo(30));
        });
    }

    [Test]
    public void Build_NameThatIsNotAFolderName_Error()
    {
        var spec = Parse();
        var values = WorkflowInputsParser.Parse(spec, ("wf.yaml", Spec), "inputs.json", """{"inputs": {"echo": {"value": "x"}}}""");

        var (plan, errors) = RunPlanBuilder.Build("../wf", spec, values.Values!);

        Assert.That(plan, Is.Null);
        Assert.That(errors.Single(), Does.StartWith("name: '../wf' is not a valid name"));
    }

    private static WorkflowSpec Parse()
    {
        var result = WorkflowParser.Parse("wf.yaml", Spec);
        Assert.That(result.Errors.Select(e => e.ToString()), Is.Empty);
        return result.Spec!;
    }
}
