using System.Text.Json;
using GradientNode.Core.Status;
using GradientNode.Daemon.Cli;
using GradientNode.Daemon.Cli.Wait;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class DeployCommandsTests
{
    [Test]
    public async Task ApplyAsync_MissingFile_SaysNoSuchFileAndExitsOneAsValidateDoes()
    {
        var (commands, output, error, api) = Commands();
        using (api)
        {
            var exit = await commands.ApplyAsync("/nonexistent/app.yaml", wait: false, timeout: null, CancellationToken.None);

            Assert.That(exit, Is.EqualTo(ExitCodes.Failed));
            Assert.That(error.ToString(), Is.EqualTo("/nonexistent/app.yaml: no such file\n"));
            Assert.That(output.ToString(), Is.Empty);
        }
    }

    [Test]
    public async Task ApplyAsync_MissingFileWithACloseOneBesideIt_SuggestsThatFile()
    {
        // Before: "api.yml: no such file", with api.yaml right there.
        var dir = Directory.CreateTempSubdirectory("gn-closefile-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "api.yaml"), "name: api\n");
            await File.WriteAllTextAsync(Path.Combine(dir, "notes.txt"), "x\n");
            var (commands, output, error, api) = Commands();
            using (api)
            {
                var exit = await commands.ApplyAsync(Path.Combine(dir, "api.yml"), wait: false, timeout: null, CancellationToken.None);
                var far = ClientCommands.NotAFile(Path.Combine(dir, "other.yaml"));

                Assert.That(exit, Is.EqualTo(ExitCodes.Failed));
                Assert.That(error.ToString(), Is.EqualTo($"{dir}/api.yml: no such file; did you mean {dir}/api.yaml?\n"));
                Assert.That(far, Is.EqualTo($"{dir}/other.yaml: no such file"));
                Assert.That(output.ToString(), Is.Empty);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public async Task DiffAsync_MissingFile_SaysNoSuchFileAndExitsTwo()
    {
        var (commands, _, error, api) = Commands();
        using (api)
        {
            var exit = await commands.DiffAsync("/nonexistent/app.yaml", CancellationToken.None);

            Assert.That(exit, Is.EqualTo(DeployCommands.DiffError));
            Assert.That(error.ToString(), Is.EqualTo("/nonexistent/app.yaml: no such file\n"));
        }
    }

    [Test]
    public async Task ApplyAsync_WorkflowFileWithMisspeltJobs_SaysItIsAWorkflowNamingTheKey()
    {
        var file = Path.Combine(Path.GetTempPath(), $"gn-wf-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, "jbos:\n  hello:\n    uses: container@v1\n    with: {image: busybox, args: [echo, hi]}\n");
        var (commands, output, error, api) = Commands();
        try
        {
            var exit = await commands.ApplyAsync(file, wait: false, timeout: null, CancellationToken.None);

            Assert.That(exit, Is.EqualTo(ExitCodes.Failed));
            Assert.That(error.ToString(), Is.EqualTo($"{file}: a workflow file (it has 'jbos', read as 'jobs'), not a deployment; run it with gradient-node workflows run -f {file}\n"));
            Assert.That(output.ToString(), Is.Empty);
        }
        finally
        {
            api.Dispose();
            File.Delete(file);
        }
    }

    [Test]
    public async Task ApplyAsync_WorkflowFile_SaysItIsAWorkflowNotABrokenDeployment()
    {
        var file = Path.Combine(Path.GetTempPath(), $"gn-wf-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, "jobs:\n  hello:\n    uses: container@v1\n    with: {image: busybox, args: [echo, hi]}\n");
        var (commands, output, error, api) = Commands();
        try
        {
            var exit = await commands.ApplyAsync(file, wait: false, timeout: null, CancellationToken.None);

            Assert.That(exit, Is.EqualTo(ExitCodes.Failed));
            Assert.That(error.ToString(), Is.EqualTo($"{file}: a workflow file (it has 'jobs'), not a deployment; run it with gradient-node workflows run -f {file}\n"));
            Assert.That(output.ToString(), Is.Empty);
        }
        finally
        {
            api.Dispose();
            File.Delete(file);
        }
    }

    [Test]
    public async Task DiffAsync_Directory_SaysItIsADirectoryNotThatItIsMissing()
    {
        var (commands, _, error, api) = Commands();
        using (api)
        {
            var directory = Path.GetTempPath().TrimEnd('/');

            var exit = await commands.DiffAsync(directory, CancellationToken.None);

            Assert.That(exit, Is.EqualTo(DeployCommands.DiffError));
            Assert.That(error.ToString(), Is.EqualTo($"{directory}: a directory, not a file (name the spec files in it)\n"));
        }
    }

    [Test]
    public async Task DiffAndApplyAsync_BareWordNamingADeployment_SayTheyTakeASpecFileAndWhichFileTheNodeRuns()
    {
        // newuser12: `diff web` (kamal and compose take a service's name) said only "web: no such file".
        var dir = Directory.CreateTempSubdirectory("gn-diffname-").FullName;
        var socket = Path.Combine(dir, "api.sock");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socket));
        await using var app = builder.Build();
        app.MapGet("/v1/deployments/{name}", (string name) => name == "sentiment-api"
            ? Results.Text("{\"name\":\"sentiment-api\",\"specFile\":\"/etc/gradient/specs/sentiment.yaml\"}", "application/json")
            : Results.NotFound());
        await app.StartAsync();
        try
        {
            var output = new StringWriter { NewLine = "\n" };
            var error = new StringWriter { NewLine = "\n" };
            var time = new FakeTimeProvider();
            using var api = new ApiClient(socket);
            var commands = new DeployCommands(api, output, error, new LineProgressView(output, time), time);

            var diff = await commands.DiffAsync("sentiment-api", CancellationToken.None);
            var apply = await commands.ApplyAsync("sentiment-api", wait: false, timeout: null, CancellationToken.None);
            var other = await commands.DiffAsync("nosuch-word", CancellationToken.None);

            Assert.Multiple(() =>
            {
                Assert.That(diff, Is.EqualTo(DeployCommands.DiffError));
                Assert.That(apply, Is.EqualTo(ExitCodes.Failed));
                Assert.That(other, Is.EqualTo(DeployCommands.DiffError));
                Assert.That(error.ToString(), Is.EqualTo(
                    "sentiment-api: no such file; 'sentiment-api' is a deployment on this node, and diff takes a spec file: diff -f FILE (the node runs /etc/gradient/specs/sentiment.yaml: diff an edited copy of it)\n"
                    + "sentiment-api: no such file; 'sentiment-api' is a deployment on this node, and apply takes a spec file: apply -f FILE (the node runs /etc/gradient/specs/sentiment.yaml: edit it, or apply an edited copy)\n"
                    + "nosuch-word: no such file\n"));
            });
        }
        finally
        {
            await app.StopAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public async Task ApplyAsync_WaitAfterRaisingAnAutoscaledDeploymentsReplicas_WaitsForTheNewLeastCount()
    {
        // newuser14: replicas 2 → 3 under autoscaling keeps the spec hash, so the status from before the reconcile (2/2 ready)
        // already matched, and --wait ended "rolled out: 2/2" before the node started replica 2.
        var dir = Directory.CreateTempSubdirectory("gn-waitbounds-").FullName;
        var socket = Path.Combine(dir, "api.sock");
        var file = Path.Combine(dir, "hello.yaml");
        await File.WriteAllTextAsync(file, "apiVersion: v1\nname: hello\nimage: a:1\nresources:\n  machineType: C4\n  ports: [8080]\n  replicas: 3\n"
            + "  autoscaling:\n    maxReplicas: 4\n    metrics: [{metric: cpu, value: 50}]\n");
        var before = Wait.StatusScript.Snapshot(DeploymentState.Ready, "2/2 replicas ready", desired: 2,
            replicas: [Wait.StatusScript.Replica(0, "running", ready: true), Wait.StatusScript.Replica(1, "running", ready: true)]);
        var after = Wait.StatusScript.Snapshot(DeploymentState.Ready, "3/3 replicas ready", desired: 3,
            replicas: [.. before.Replicas, Wait.StatusScript.Replica(2, "running", ready: true)]);
        var reads = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socket));
        await using var app = builder.Build();
        app.MapPut("/v1/deployments/{name}", () => Results.Text(
            $"{{\"created\":false,\"specFile\":\"/etc/gradient/specs/hello.yaml\",\"specHash\":\"{Wait.StatusScript.NewHash}\",\"name\":\"hello\"}}", "application/json"));
        app.MapGet("/v1/deployments/{name}", () => Results.Text(
            JsonSerializer.Serialize(Interlocked.Increment(ref reads) == 1 ? before : after, StatusJsonContext.Default.DeploymentStatus), "application/json"));
        await app.StartAsync();
        try
        {
            var output = new StringWriter { NewLine = "\n" };
            using var api = new ApiClient(socket);
            var commands = new DeployCommands(api, output, new StringWriter(), new LineProgressView(output, TimeProvider.System), TimeProvider.System);

            var exit = await commands.ApplyAsync(file, wait: true, timeout: TimeSpan.FromSeconds(30), CancellationToken.None);

            Assert.Multiple(() =>
            {
                Assert.That(exit, Is.EqualTo(ExitCodes.Ok));
                Assert.That(reads, Is.EqualTo(2));
                Assert.That(output.ToString(), Does.Contain("rolled out: deployment 'hello' 3/3 replicas ready"));
            });
        }
        finally
        {
            await app.StopAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static (DeployCommands Commands, StringWriter Output, StringWriter Error, ApiClient Api) Commands()
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var api = new ApiClient("/nonexistent/gradient.sock");
        var time = new FakeTimeProvider();
        return (new DeployCommands(api, output, error, new LineProgressView(output, time), time), output, error, api);
    }
}
