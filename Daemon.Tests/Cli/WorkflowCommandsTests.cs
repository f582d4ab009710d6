using GradientNode.Daemon.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed partial class WorkflowCommandsTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("gn-wfcli-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task RunAsync_RunWithAFileThatIsNotUtf8_ExitsOneAtTheByteWithoutCallingTheDaemon()
    {
        // Before: the bad byte became U+FFFD and the run was sent (nothing listens on this socket: a send would throw).
        var file = Path.Combine(_dir, "train.yaml");
        await File.WriteAllBytesAsync(file, [.. "jobs:\n  a:\n    uses: "u8, 0xC0, 0xAF, .. "\n"u8]);
        var error = new StringWriter();
        using var api = new ApiClient(Path.Combine(_dir, "absent.sock"));
        var commands = new WorkflowCommands(api, TextWriter.Null, error, TimeProvider.System);

        var exit = await commands.RunAsync(ParsedArgs.Parse(["run", "-f", file], "--wait"), CancellationToken.None);

        Assert.That(exit, Is.EqualTo(ExitCodes.Failed));
        Assert.That(error.ToString(), Is.EqualTo($"{file}:3:11: invalid UTF-8: byte 0xC0; the text must be UTF-8{Environment.NewLine}"));
    }

    [Test]
    public async Task RunAsync_WaitAndAJobWaitsForGpus_SaysOnceHowToStopWaitingAndCancel()
    {
        var file = Path.Combine(_dir, "train.yaml");
        await File.WriteAllTextAsync(file, "jobs:\n  train:\n    uses: container@v1\n    with: {image: a:1}\n    resources: {instance-type: A100}\n");
        await using var app = DaemonOn(Path.Combine(_dir, "api.sock"));
        var polls = 0;
        const string Waiting = "{\"phase\": \"PENDING\", \"jobs\": {\"train\": {\"phase\": \"PENDING\", \"message\": \"waits for GPUs: A100 needs 1 GPU: this node has no GPUs\"}}}";
        app.MapPost("/v1/workflows/{name}/runs", () => Results.Text("{\"run\": 4}", "application/json"));
        app.MapGet("/v1/workflows/{name}/runs/{run}", () => Results.Text(
            ++polls < 4 ? Waiting : "{\"phase\": \"CANCELED\", \"jobs\": {\"train\": {\"phase\": \"CANCELED\"}}}", "application/json"));
        await app.StartAsync();
        var output = new StringWriter();
        using var api = new ApiClient(Path.Combine(_dir, "api.sock"));
        var commands = new WorkflowCommands(api, output, TextWriter.Null, TimeProvider.System);

        var exit = await commands.RunAsync(ParsedArgs.Parse(["run", "-f", file, "--wait"], "--wait"), CancellationToken.None);
        await app.StopAsync();

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(ExitCodes.Failed));
            Assert.That(lines, Has.Exactly(1).EqualTo(
                "(the job waits until GPUs are free; Ctrl-C stops waiting here and the run goes on: cancel it with gradient-node workflows cancel train 4)"));
            Assert.That(lines, Has.Exactly(1).EqualTo("train: PENDING: waits for GPUs: A100 needs 1 GPU: this node has no GPUs"));
        });
    }

    [Test]
    public async Task RunAsync_GetAndLogsWithoutARun_TheNewestRunAndLogsAsksByItsNumber()
    {
        await using var app = DaemonOn(Path.Combine(_dir, "api.sock"));
        var asked = new List<string>();
        app.MapGet("/v1/workflows/{name}/runs/{run}", (string run) =>
        {
            asked.Add($"get {run}");
            return Results.Text("{\"workflow\": \"train\", \"run\": 7, \"phase\": \"SUCCEEDED\", \"jobs\": {}}", "application/json");
        });
        app.MapGet("/v1/workflows/{name}/runs/{run}/logs", (string run) =>
        {
            asked.Add($"logs {run}");
            return Results.Text("[a] hi\n", "text/plain");
        });
        await app.StartAsync();
        using var api = new ApiClient(Path.Combine(_dir, "api.sock"));
        var commands = new WorkflowCommands(api, new StringWriter(), TextWriter.Null, TimeProvider.System);

        var got = await commands.RunAsync(ParsedArgs.Parse(["get", "train", "-o", "json"], "--wait"), CancellationToken.None);
        var logged = await commands.RunAsync(ParsedArgs.Parse(["logs", "train"], "--wait"), CancellationToken.None);
        await app.StopAsync();

        Assert.Multiple(() =>
        {
            Assert.That((got, logged), Is.EqualTo((ExitCodes.Ok, ExitCodes.Ok)));
            Assert.That(asked, Is.EqualTo(new[] { "get latest", "get latest", "logs 7" }), "logs reads the number once, then asks for run 7");
        });
    }

    [Test]
    public async Task RunAsync_WaitAndTheDaemonRestartsMidRun_KeepsFollowingUntilTheRunEnds()
    {
        // Before: the first poll the stopped daemon did not answer ended --wait with "cannot reach gradient-node" (exit 3),
        // though the run goes on (the new daemon adopts its containers) and apply --wait keeps following through a restart.
        var file = Path.Combine(_dir, "train.yaml");
        await File.WriteAllTextAsync(file, "jobs:\n  train:\n    uses: container@v1\n    with: {image: a:1}\n    resources: {instance-type: C4}\n");
        var socket = Path.Combine(_dir, "api.sock");
        var polled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var before = FakeDaemon(socket, "{\"phase\": \"RUNNING\", \"jobs\": {\"train\": {\"phase\": \"RUNNING\"}}}", polled);
        await before.StartAsync();
        using var output = new SharedStringWriter();
        using var api = new ApiClient(socket);
        var commands = new WorkflowCommands(api, output, TextWriter.Null, TimeProvider.System);

        var following = commands.RunAsync(ParsedArgs.Parse(["run", "-f", file, "--wait"], "--wait"), CancellationToken.None);
        await polled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await before.StopAsync();
        await before.DisposeAsync();
        File.Delete(socket);
        await TestTimeouts.WaitUntilAsync(() => output.ToString().Contains("(the daemon does not answer", StringComparison.Ordinal), "the client to find the daemon gone");
        await using var after = FakeDaemon(socket, "{\"phase\": \"SUCCEEDED\", \"jobs\": {\"train\": {\"phase\": \"SUCCEEDED\"}}}", null);
        await after.StartAsync();
        var exit = await following.WaitAsync(TimeSpan.FromSeconds(20));
        await after.StopAsync();

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(ExitCodes.Ok));
            Assert.That(lines, Has.Exactly(1).EqualTo("(the daemon does not answer (restarting?); still following)"));
            Assert.That(lines, Has.Exactly(1).EqualTo("(the daemon answers again)"));
            Assert.That(lines[^1], Is.EqualTo("run 4: SUCCEEDED"));
        });
    }

    [Test]
    public async Task RunAsync_LogsFollowAndTheDaemonRestartsMidRun_KeepsFollowingWithoutRepeatingLines()
    {
        // Before: the stream the stopping daemon closed ended logs -f with "the daemon closed the stream before it ended"
        // (exit 1), though the job went on and run --wait keeps following through a restart.
        var socket = Path.Combine(_dir, "logs.sock");
        var cut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var before = FakeLogDaemon.Build(socket, "/v1/workflows/{name}/runs/{run}/logs", "[a] tick 1\n[b] tock 1\n[a] tick 2\n", cut);
        await before.StartAsync();
        using var output = new SharedStringWriter();
        using var error = new SharedStringWriter();
        using var api = new ApiClient(socket);
        var commands = new WorkflowCommands(api, output, error, TimeProvider.System);

        var following = commands.RunAsync(ParsedArgs.Parse(["logs", "w", "1", "-f"], "-f", "--follow", "--wait"), CancellationToken.None);
        await cut.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await before.StopAsync();
        await before.DisposeAsync();
        File.Delete(socket);
        await TestTimeouts.WaitUntilAsync(() => error.ToString().Contains("(the daemon closed the log stream", StringComparison.Ordinal), "the client to find its stream cut");
        await using var after = FakeLogDaemon.Build(socket, "/v1/workflows/{name}/runs/{run}/logs", "[b] tock 1\n[a] tick 1\n[a] tick 2\n[b] tock 2\n[a] tick 3\n", null);
        await after.StartAsync();
        var exit = await following.WaitAsync(TimeSpan.FromSeconds(20));
        await after.StopAsync();

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(ExitCodes.Ok), error.ToString());
            Assert.That(output.ToString(), Is.EqualTo("[a] tick 1\n[b] tock 1\n[a] tick 2\n[b] tock 2\n[a] tick 3\n".Replace("\n", Environment.NewLine, StringComparison.Ordinal)));
            Assert.That(error.ToString(), Does.Contain("(the daemon closed the log stream (restarting?); still following)").And.Contain("(the daemon answers again)"));
        });
    }

    /// <summary>A fake daemon's API on <paramref name="socket"/>, not started: the test maps what it answers.</summary>
    private static WebApplication DaemonOn(string socket)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socket));
        return builder.Build();
    }

    private static WebApplication FakeDaemon(string socket, string run, TaskCompletionSource? polled)
    {
        var app = DaemonOn(socket);
        app.MapPost("/v1/workflows/{name}/runs", () => Results.Text("{\"run\": 4}", "application/json"));
        app.MapGet("/v1/workflows/{name}/runs/{run}", () =>
        {
            polled?.TrySetResult();
            return Results.Text(run, "application/json");
        });
        return app;
    }

    [Test]
    public async Task RunAsync_RunWithADeploymentSpec_ExitsOnePointingAtApplyWithoutCallingTheDaemon()
    {
        var file = Path.Combine(_dir, "web.yaml");
        await File.WriteAllTextAsync(file, "name: web\nimage: nginx:1.27\nresources: {machineType: C4, ports: [80]}\n");
        var error = new StringWriter();
        using var api = new ApiClient(Path.Combine(_dir, "absent.sock"));
        var commands = new WorkflowCommands(api, TextWriter.Null, error, TimeProvider.System);

        var exit = await commands.RunAsync(ParsedArgs.Parse(["run", "-f", file], "--wait"), CancellationToken.None);

        Assert.That(exit, Is.EqualTo(ExitCodes.Failed));
        Assert.That(error.ToString(), Is.EqualTo($"{file}: a deployment spec (no 'jobs'), not a workflow; apply it with gradient-node apply -f {file}{Environment.NewLine}"));
    }

    [TestCase("train.yml", null)]
    [TestCase("train.yaml", "inputs.yml")]
    public async Task RunAsync_RunWithAFileThatDoesNotExist_ExitsOneAsApplyDoesWithoutCallingTheDaemon(string workflow, string? inputs)
    {
        // Before: a usage error (exit 2, "gradient-node workflows: train.yml: no such file (see gradient-node --help)").
        await File.WriteAllTextAsync(Path.Combine(_dir, "train.yaml"), "jobs: {}\n");
        await File.WriteAllTextAsync(Path.Combine(_dir, "inputs.yaml"), "{}\n");
        var error = new StringWriter();
        using var api = new ApiClient(Path.Combine(_dir, "absent.sock"));
        var commands = new WorkflowCommands(api, TextWriter.Null, error, TimeProvider.System);
        string[] args = inputs is null ? ["run", "-f", Path.Combine(_dir, workflow)] : ["run", "-f", Path.Combine(_dir, workflow), "--inputs", Path.Combine(_dir, inputs)];

        var exit = await commands.RunAsync(ParsedArgs.Parse(args, "--wait"), CancellationToken.None);

        var missing = Path.Combine(_dir, inputs ?? workflow);
        Assert.That(exit, Is.EqualTo(ExitCodes.Failed));
        Assert.That(error.ToString(), Is.EqualTo($"{missing}: no such file; did you mean {Path.ChangeExtension(missing, ".yaml")}?{Environment.NewLine}"));
    }

    [TestCase("delete", "train", "3")]
    [TestCase("rm", "train", "3")]
    public void RunAsync_DeleteWithARunAndAll_UsageErrorWithoutCallingTheDaemon(string verb, string name, string run)
    {
        using var api = new ApiClient(Path.Combine(_dir, "absent.sock"));
        var commands = new WorkflowCommands(api, TextWriter.Null, TextWriter.Null, TimeProvider.System);

        var ex = Assert.ThrowsAsync<UsageException>(() => commands.RunAsync(ParsedArgs.Parse([verb, name, run, "--all"], "--all"), CancellationToken.None));

        Assert.That(ex!.Message, Is.EqualTo("workflows delete takes a RUN or --all, not both (got run 3 and --all)"));
    }

    [TestCase("get")]
    [TestCase("runs")]
    public void RunAsync_RawWithASubCommandOtherThanLogs_UsageError(string sub)
    {
        using var api = new ApiClient(Path.Combine(_dir, "absent.sock"));
        var commands = new WorkflowCommands(api, TextWriter.Null, TextWriter.Null, TimeProvider.System);

        var ex = Assert.ThrowsAsync<UsageException>(() => commands.RunAsync(ParsedArgs.Parse([sub, "train", "1", "--raw"]), CancellationToken.None));

        Assert.That(ex!.Message, Is.EqualTo($"--raw goes with workflows logs only, not with workflows {sub}"));
    }

    [TestCase("get")]
    [TestCase("cancel")]
    public void RunAsync_AllWithAnotherSubCommand_UsageError(string sub)
    {
        using var api = new ApiClient(Path.Combine(_dir, "absent.sock"));
        var commands = new WorkflowCommands(api, TextWriter.Null, TextWriter.Null, TimeProvider.System);

        var ex = Assert.ThrowsAsync<UsageException>(() => commands.RunAsync(ParsedArgs.Parse([sub, "train", "1", "--all"], "--all"), CancellationToken.None));

        Assert.That(ex!.Message, Is.EqualTo($"--all goes with workflows delete NAME --all only, not with workflows {sub}"));
    }

    [Test]
    public async Task RunAsync_DeleteAll_SendsDeleteToTheRunsAndPrintsWhatWentAndWhatWasLeft()
    {
        var socket = Path.Combine(_dir, "api.sock");
        await using var app = DaemonOn(socket);
        string? asked = null;
        app.MapDelete("/v1/workflows/{name}/runs", (string name) =>
        {
            asked = name;
            return Results.Text("""{"workflow": "train", "deleted": [1, 2], "notEnded": [{"run": 3, "phase": "RUNNING", "message": "workflow 'train' run 3 has not ended (RUNNING); cancel it first"}]}""", "application/json");
        });
        await app.StartAsync();
        var output = new StringWriter();
        var error = new StringWriter();
        using var api = new ApiClient(socket);
        var commands = new WorkflowCommands(api, output, error, TimeProvider.System);

        var exit = await commands.RunAsync(ParsedArgs.Parse(["delete", "train", "--all"], "--all"), CancellationToken.None);
        await app.StopAsync();

        Assert.Multiple(() =>
        {
            Assert.That(asked, Is.EqualTo("train"));
            Assert.That(exit, Is.EqualTo(ExitCodes.Failed), "a run was left");
            Assert.That(output.ToString(), Is.EqualTo("workflow 'train': deleted 2 ended runs: 1, 2" + Environment.NewLine));
            Assert.That(error.ToString(), Is.EqualTo("error: workflow 'train' run 3 has not ended (RUNNING); cancel it first" + Environment.NewLine));
        });
    }
}
