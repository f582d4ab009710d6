using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// A job that writes a secret into a string output: the next job gets the value itself, while <c>workflows get</c> (text
/// and JSON, so the API and the console) and the logs show <c>***</c> (docs/design/security.md).
/// </summary>
[TestFixture]
[Category("E2E")]
[NonParallelizable]
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
}
