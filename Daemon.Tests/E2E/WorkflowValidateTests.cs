using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary><c>gradient-node validate</c> (the published binary, offline) on workflow files: told apart from deployments by a top-level <c>jobs</c>.</summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class WorkflowValidateTests
{
    private GradientNodeProcess _node = null!;
    private string _scratch = null!;

    private static string TestData => Path.Combine(TestContext.CurrentContext.TestDirectory, "testdata", "workflows");

    [SetUp]
    public void SetUp()
    {
        _node = GradientNodeProcess.Prepare();
        _scratch = Directory.CreateTempSubdirectory("gn-wfvalidate-").FullName;
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null!;
        }

        if (_scratch is not null)
        {
            Directory.Delete(_scratch, recursive: true);
            _scratch = null!;
        }
    }

    [Test]
    public async Task Validate_SeedWorkflowAndDeployment_ExitsZeroAndNotesClusterId()
    {
        var workflow = Copy("valid/seed-003-datasets", "train.yaml");
        var deployment = Path.Combine(_scratch, "web.yaml");
        await File.WriteAllTextAsync(deployment, SpecYaml.V1("web"));

        var result = await _node.CliAsync("validate", workflow, deployment);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain($"{workflow}: ok (workflow, 2 job(s): job-1, job-2, 2 input(s))"));
        Assert.That(result.Stdout, Does.Contain($"{workflow}:4:3: defaults.clusterId: accepted, not acted on: the node is its own cluster"));
        Assert.That(result.Stdout, Does.Contain($"{deployment}: ok (deployment 'web'"));
    }

    [Test]
    public async Task Validate_NoJobs_OkLineEndsAtTheCount()
    {
        var workflow = Copy("valid/empty-jobs", "nothing.yaml");

        var result = await _node.CliAsync("validate", workflow);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain($"{workflow}: ok (workflow, 0 job(s))\n"), "no ': ' before an empty list of jobs");
    }

    [Test]
    public async Task Validate_OutputUsedWithoutNeeds_ExitsOneWithLocatedMessage()
    {
        var workflow = Copy("invalid/output-without-needs", "bad.yaml");

        var result = await _node.CliAsync("validate", workflow);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stderr.Trim(), Is.EqualTo(
            $"{workflow}:11:13: jobs.job-2.inputs.text: job-1.outputs.text is an output of job 'job-1', which is not in jobs.job-2.needs; add it there"));
    }

    private string Copy(string folder, string name)
    {
        var target = Path.Combine(_scratch, name);
        File.Copy(Path.Combine(TestData, folder, "workflow.yaml"), target);
        return target;
    }
}
