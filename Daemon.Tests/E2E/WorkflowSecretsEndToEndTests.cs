using System.Text.Json;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// A job that writes a secret into a string output: the next job gets the value itself, while <c>workflows get</c> (text
/// and JSON, so the API and the console) and the logs show <c>***</c> (docs/design/security.md). A run naming secrets the
/// node lacks (in any job, in <c>defaults</c>) is refused at submit listing each at file:line:col; one removed after submit
/// still ends the job that needs it ERROR when it starts.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class WorkflowSecretsEndToEndTests
{
    private const string Token = "S3cr3tV4lue-of-the-run";

    private const string Workflow = """
        jobs:
          leak:
            env:
              T: secret:run_token
            outputs:
              leaked:
                type: string
            uses: container@v1
            with:
              image: gradient-test/web:1
              args: [sh, -c, 'printf %s "$T" > /outputs/leaked; echo "token is $T"']
          check:
            needs: [leak]
            inputs:
              leaked: leak.outputs.leaked
            env:
              T: secret:run_token
            uses: container@v1
            with:
              image: gradient-test/web:1
              args: [sh, -c, 'test "$(cat /inputs/leaked)" = "$T" && echo same value']
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
    public async Task WorkflowsRun_JobWritesASecretIntoAStringOutput_NextJobGetsItAndNothingShownHasIt()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        Assert.That((await _node.CliWithInputAsync(Token, "secrets", "set", "run_token")).ExitCode, Is.Zero);
        var file = Path.Combine(_node.Root, "leaky.yaml");
        await File.WriteAllTextAsync(file, Workflow);

        var run = await _node.CliAsync("workflows", "run", "-f", file, "--wait");
        var json = await _node.CliAsync("workflows", "get", "leaky", "1", "-o", "json");
        var text = await _node.CliAsync("workflows", "get", "leaky", "1");
        var runs = await _node.ApiGetAsync("v1/workflows/leaky/runs");
        var logs = await _node.CliAsync("workflows", "logs", "leaky", "1");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(logs.Stdout, Does.Contain("[check] same value"), "the next job got the value itself");
            Assert.That(logs.Stdout, Does.Contain("[leak] token is ***"));
            Assert.That(json.Stdout, Does.Contain("\"***\"").And.Not.Contain(Token), json.Stdout);
            Assert.That(text.Stdout + runs + logs.Stdout + run.Stdout, Does.Not.Contain(Token));
        });
    }

    [Test]
    public async Task SecretsRm_SecretOfAJobStillToCome_NamesTheRunAndTheJob()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        Assert.That((await _node.CliWithInputAsync(Token, "secrets", "set", "run_token")).ExitCode, Is.Zero);
        var file = Path.Combine(_node.Root, "later.yaml");
        await File.WriteAllTextAsync(file, """
            jobs:
              wait:
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  args: [sleep, "300"]
              use:
                needs: [wait]
                env:
                  T: secret:run_token
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, 'echo "$T"']
            """);
        var started = await _node.CliAsync("workflows", "run", "-f", file);
        Assert.That(started.ExitCode, Is.Zero, started.ToString());

        var removed = await _node.CliAsync("secrets", "rm", "run_token");
        await _node.CliAsync("workflows", "cancel", "later", "1");

        Assert.Multiple(() =>
        {
            Assert.That(removed.ExitCode, Is.Zero, removed.ToString());
            Assert.That(removed.Stdout + removed.Stderr, Does.Contain("still named by workflow later run 1 (job use: env[T]) of runs not ended"), removed.ToString());
            Assert.That(removed.Stdout + removed.Stderr, Does.Not.Contain(Token));
        });
    }

    [Test]
    public async Task WorkflowsRun_SecretsMissingInALaterJobAndInDefaults_RefusedAtSubmitListingEachAtItsLineAndNothingRuns()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        Assert.That((await _node.CliWithInputAsync(Token, "secrets", "set", "run_token")).ExitCode, Is.Zero);
        var file = Path.Combine(_node.Root, "early.yaml");
        await File.WriteAllTextAsync(file, """
            defaults:
              env:
                SHARED: secret:shared_missing
            jobs:
              first:
                uses: container@v1
                env:
                  T: secret:run_token
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, 'echo first ran']
              later:
                needs: [first]
                uses: container@v1
                env:
                  TOKEN: secret:later_missing
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, 'echo later ran']
            """);

        var refused = await _node.CliAsync("workflows", "run", "-f", file, "--wait");
        var validated = await _node.CliAsync("validate", file);
        var runs = await _node.CliAsync("workflows", "runs", "early");
        Assert.That((await _node.CliWithInputAsync("v", "secrets", "set", "shared_missing")).ExitCode, Is.Zero);
        Assert.That((await _node.CliWithInputAsync("v", "secrets", "set", "later_missing")).ExitCode, Is.Zero);
        var ran = await _node.CliAsync("workflows", "run", "-f", file, "--wait");

        Assert.Multiple(() =>
        {
            Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
            Assert.That(refused.Stdout, Does.Not.Contain("started"), "no run was numbered");
            Assert.That(refused.Stderr, Does.Contain("error: workflow 'early' cannot run: it names 2 secret reference(s) this node cannot resolve (nothing was started)"), refused.ToString());
            Assert.That(refused.Stderr, Does.Contain($"{file}:3:13: defaults.env.SHARED (for jobs first, later): secret 'shared_missing' does not exist on this node (add it: gradient-node secrets set shared_missing)\n{file}:16:14: jobs.later.env.TOKEN: secret 'later_missing' does not exist on this node (add it: gradient-node secrets set later_missing)"));
            Assert.That(refused.ToString(), Does.Not.Contain(Token).And.Not.Contain("run_token"), "a secret that exists is not named, its value never");
            Assert.That(validated.ExitCode, Is.Zero, "a secret may be set before the run: warned, not refused; " + validated);
            Assert.That(validated.Stderr, Is.EqualTo(
                $"{file}:3:13: warning: defaults.env.SHARED (for jobs first, later): secret 'shared_missing' does not exist on this node (add it: gradient-node secrets set shared_missing); workflows run refuses the run until then\n"
                + $"{file}:16:14: warning: jobs.later.env.TOKEN: secret 'later_missing' does not exist on this node (add it: gradient-node secrets set later_missing); workflows run refuses the run until then\n"),
                "validate reports what submit refuses, at the same lines (before, nothing: the file's syntax alone was checked)");
            Assert.That(runs.Stdout, Does.Not.Match(@"(?m)^1 "), "the refused run left no run behind");
            Assert.That(ran.ExitCode, Is.Zero, ran.ToString());
            Assert.That(ran.Stdout, Does.Contain("workflow 'early' run 1 started"), "a refused run takes no number");
        });
    }

    [Test]
    public async Task WorkflowsRun_SecretRemovedAfterSubmitBeforeItsJobStarts_ThatJobEndsErrorNamingTheFieldAndTheSecret()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        Assert.That((await _node.CliWithInputAsync(Token, "secrets", "set", "run_token")).ExitCode, Is.Zero);
        var file = Path.Combine(_node.Root, "gone.yaml");
        await File.WriteAllTextAsync(file, """
            jobs:
              gate:
                uses: container@v1
                outputs:
                  go:
                    type: string
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, 'while [ ! -s /outputs/go ]; do sleep 0.1; done']
              use:
                needs: [gate]
                env:
                  T: secret:run_token
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, 'echo "$T"']
            """);
        var started = await _node.CliAsync("workflows", "run", "-f", file);
        Assert.That(started.ExitCode, Is.Zero, started.ToString());
        await _node.WaitForRunAsync("gone", 1, run => run.GetProperty("jobs").GetProperty("gate").GetProperty("phase").GetString() == "RUNNING", "job gate RUNNING");

        Assert.That((await _node.CliAsync("secrets", "rm", "run_token")).ExitCode, Is.Zero);
        await File.WriteAllTextAsync(Path.Combine(_node.StateDir, "workflows", "gone", "1", "jobs", "gate", "outputs", "go"), "go");
        await _node.WaitForRunAsync("gone", 1, run => run.GetProperty("phase").GetString() is "ERROR" or "FAILED" or "SUCCEEDED", "the run's end");
        var shown = await _node.CliAsync("workflows", "get", "gone", "1");

        Assert.Multiple(() =>
        {
            Assert.That(shown.Stdout, Does.Contain("ERROR"), shown.ToString());
            Assert.That(shown.Stdout, Does.Contain("jobs.use.env.T: secret 'run_token' does not exist on this node (add it: gradient-node secrets set run_token)"), shown.ToString());
            Assert.That(shown.Stdout, Does.Not.Contain(Token));
        });
    }
}
