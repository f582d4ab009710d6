using System.Text.Json;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// A run whose jobs (or <c>defaults</c>) list <c>container-registries</c> names with no stored connection is refused at
/// submit, each name at its list item's file:line:col, with no run number used up; a connection removed after submit
/// still ends the job that lists it ERROR when it starts; a pulled image whose <c>ENV</c> takes a job over ARG_MAX ends it
/// ERROR, counted after the pull.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class WorkflowRegistriesEndToEndTests
{
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
    public async Task WorkflowsRun_RegistryNamesMissingInALaterJobAndInDefaults_RefusedAtSubmitListingEachAtItsItemAndNothingRuns()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        await AddRegistryAsync("team");
        var file = Path.Combine(_node.Root, "early.yaml");
        await File.WriteAllTextAsync(file, """
            defaults:
              resources:
                instance-type: C4
                container-registries: [team, shared-gone]
            jobs:
              first:
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, 'echo first ran']
              later:
                needs: [first]
                uses: container@v1
                resources:
                  instance-type: C4
                  container-registries:
                    - team
                    - typo-reg
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, 'echo later ran']
            """);

        var refused = await _node.CliAsync("workflows", "run", "-f", file, "--wait");
        var runs = await _node.CliAsync("workflows", "runs", "early");
        await AddRegistryAsync("shared-gone");
        await AddRegistryAsync("typo-reg");
        var ran = await _node.CliAsync("workflows", "run", "-f", file, "--wait");

        Assert.Multiple(() =>
        {
            Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
            Assert.That(refused.Stdout, Does.Not.Contain("started"), "no run was numbered");
            Assert.That(refused.Stderr, Does.Contain("error: workflow 'early' cannot run: it names 2 registry connection(s) this node does not have (nothing was started)"), refused.ToString());
            Assert.That(refused.Stderr, Does.Contain(
                $"{file}:4:34: defaults.resources.container-registries (for job first): 'shared-gone' is not a stored registry connection (add it: gradient-node registries add shared-gone --url docker.io --username U --password-stdin)\n"
                + $"{file}:18:11: jobs.later.resources.container-registries: 'typo-reg' is not a stored registry connection (add it: gradient-node registries add typo-reg --url docker.io --username U --password-stdin)"), refused.ToString());
            Assert.That(refused.Stderr, Does.Not.Contain("'team'"), "a stored connection is not named");
            Assert.That(runs.Stdout, Does.Not.Match(@"(?m)^1 "), "the refused run left no run behind");
            Assert.That(ran.ExitCode, Is.Zero, ran.ToString());
            Assert.That(ran.Stdout, Does.Contain("workflow 'early' run 1 started"), "a refused run takes no number");
        });
    }

    [Test]
    public async Task WorkflowsRun_RegistryRemovedAfterSubmitBeforeItsJobStarts_ThatJobEndsErrorNamingTheConnection()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        await AddRegistryAsync("team");
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
                resources:
                  instance-type: C4
                  container-registries: [team]
                uses: container@v1
                with:
                  image: gradient-test/web:1
                  args: [sh, -c, 'echo used']
            """);
        var started = await _node.CliAsync("workflows", "run", "-f", file);
        Assert.That(started.ExitCode, Is.Zero, started.ToString());
        await _node.WaitForRunAsync("gone", 1, run => run.GetProperty("jobs").GetProperty("gate").GetProperty("phase").GetString() == "RUNNING", "job gate RUNNING");

        Assert.That((await _node.CliAsync("registries", "rm", "team")).ExitCode, Is.Zero);
        await File.WriteAllTextAsync(Path.Combine(_node.StateDir, "workflows", "gone", "1", "jobs", "gate", "outputs", "go"), "go");
        await _node.WaitForRunAsync("gone", 1, run => run.GetProperty("phase").GetString() is "ERROR" or "FAILED" or "SUCCEEDED", "the run's end");
        var shown = await _node.CliAsync("workflows", "get", "gone", "1");

        Assert.Multiple(() =>
        {
            Assert.That(shown.Stdout, Does.Contain("ERROR"), shown.ToString());
            Assert.That(shown.Stdout, Does.Contain("jobs.use: container-registries names 'team', which is not a stored registry connection (add it: gradient-node registries add team"), shown.ToString());
        });
    }

    [Test]
    public async Task WorkflowsRun_PulledImagesEnvTakesTheJobOverArgMax_JobErrorNamingTheJobAndSizes()
    {
        // known18: the start's ARG_MAX check counted the image's ENV only when the image was on the node before the job:
        // after a pull it counted none, so a job whose pulled image's ENV took it over the limit was made and ended FAILED
        // "exec …: argument list too long". The image is pushed under a new tag, so the job must pull it.
        using var engine = await TestEnvironment.RequireEngineAsync();
        var registry = TestRegistry.Require();
        var tag = "big-env-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        using (var push = new CancellationTokenSource(TestTimeouts.Container))
        {
            await RegistryImagePusher.PushWithRandomLayerAsync(registry, tag, 64, push.Token, config =>
            {
                var env = config["config"]!["Env"] as System.Text.Json.Nodes.JsonArray ?? [];
                config["config"]!["Env"] = env;
                for (var i = 0; i < 17; i++)
                {
                    env.Add($"BIG{i:00}={new string('x', 125_000)}");
                }
            });
        }

        _node = await GradientNodeProcess.StartAsync();
        var added = await _node.CliWithInputAsync(registry.Password + "\n", "registries", "add", "private", "--url", registry.Address, "--username", registry.Username, "--password-stdin");
        Assert.That(added.ExitCode, Is.Zero, added.ToString());
        var file = Path.Combine(_node.Root, "bigenv.yaml");
        await File.WriteAllTextAsync(file, $$"""
            jobs:
              big:
                resources:
                  instance-type: C4
                  container-registries: [private]
                uses: container@v1
                with:
                  image: {{registry.Address}}/{{RegistryImagePusher.Repository(registry)}}:{{tag}}
                  args: [sh, -c, 'echo started']
            """);

        var ran = await _node.CliAsync("workflows", "run", "-f", file, "--wait");

        Assert.Multiple(() =>
        {
            Assert.That(ran.ExitCode, Is.EqualTo(1), ran.ToString());
            Assert.That(ran.Stdout, Does.Match(@"big: ERROR: jobs\.big: its environment and arguments come to \d+ bytes .*Linux starts no process with more than 2097152"), ran.ToString());
            Assert.That(ran.Stdout, Does.Contain("env.BIG00 (the image's ENV) 125015"), ran.ToString());
            Assert.That(ran.ToString(), Does.Not.Contain("argument list too long").And.Not.Contain("xxxxxxxx"));
        });
    }

    private async Task AddRegistryAsync(string name)
    {
        var result = await _node!.CliWithInputAsync("pw\n", "registries", "add", name, "--url", "127.0.0.1:5999", "--username", "u", "--password-stdin");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
    }
}
