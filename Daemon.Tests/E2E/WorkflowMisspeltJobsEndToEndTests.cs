using System.Text;
using System.Text.Json;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// A workflow file whose top-level <c>jobs</c> is misspelt (<c>jbos</c>, <c>job</c>, <c>Jobs</c>) and that has no
/// deployment key is read as a workflow everywhere: <c>workflows run -f</c>, the API, <c>validate</c> and <c>apply -f</c>
/// say what the workflow parser says (the misspelt key at its file:line:col, with <c>did you mean 'jobs'</c>), never the
/// deployment parser's missing <c>image</c>/<c>resources</c>, and no run is numbered.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class WorkflowMisspeltJobsEndToEndTests
{
    private const string Misspelt = """
        defaults:
          env:
            A: b
        jbos:
          hello:
            uses: container@v1
            with:
              image: gradient-test/web:1
              args: [sh, -c, 'echo hi']
        """;

    private GradientNodeProcess? _node;

    [TearDown]
    public async Task TearDown()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null;
        }
    }

    [Test]
    public async Task WorkflowsRunApiValidateApply_TopLevelJobsMisspelt_WorkflowErrorAtTheKeyNoDeploymentErrorsNoRun()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        var file = Path.Combine(_node.Root, "w.yaml");
        await File.WriteAllTextAsync(file, Misspelt);
        var job = Path.Combine(_node.Root, "job.yaml");
        await File.WriteAllTextAsync(job, "name: w\njob:\n  hello:\n    uses: container@v1\n    with: {image: gradient-test/web:1}\n");

        var run = await _node.CliAsync("workflows", "run", "-f", file, "--name", "w", "--wait");
        var runJob = await _node.CliAsync("workflows", "run", "-f", job, "--name", "w");
        var validate = await _node.CliAsync("validate", file);
        var apply = await _node.CliAsync("apply", "-f", file);
        using var client = _node.SocketClient();
        var body = JsonSerializer.Serialize(new Dictionary<string, string> { ["spec"] = Misspelt, ["file"] = "w.yaml" });
        using var api = await client.PostAsync(new Uri("v1/workflows/w/runs", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        using var apiJson = JsonDocument.Parse(await api.Content.ReadAsStringAsync());
        var runs = await _node.CliAsync("workflows", "runs", "w");
        var all = run.ToString() + runJob + validate + apply + apiJson.RootElement;

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Stderr, Does.Contain($"{file}:4:1: unknown field 'jbos'; did you mean 'jobs'?"), run.ToString());
            Assert.That(runJob.ExitCode, Is.EqualTo(1), runJob.ToString());
            Assert.That(runJob.Stderr, Does.Contain($"{job}:2:1: unknown field 'job'; did you mean 'jobs'?"), runJob.ToString());
            Assert.That(validate.ExitCode, Is.EqualTo(1), validate.ToString());
            Assert.That(validate.Stderr, Does.Contain($"{file}:4:1: unknown field 'jbos'; did you mean 'jobs'?"), validate.ToString());
            Assert.That(apply.ExitCode, Is.EqualTo(1), apply.ToString());
            Assert.That(apply.Stderr, Does.Contain($"{file}: a workflow file (it has 'jbos', read as 'jobs'), not a deployment; run it with gradient-node workflows run -f {file}"), apply.ToString());
            Assert.That((int)api.StatusCode, Is.EqualTo(400));
            Assert.That(apiJson.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "w.yaml:4:1: unknown field 'jbos'; did you mean 'jobs'?" }));
            Assert.That(all, Does.Not.Contain("missing required field").And.Not.Contain("'image'").And.Not.Contain("'resources'"), "no deployment errors");
            Assert.That(runs.Stdout, Does.Not.Match(@"(?m)^1 "), "no run was numbered");
        });
    }
}
