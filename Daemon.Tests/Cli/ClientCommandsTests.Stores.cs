using GradientNode.Core.Secrets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

/// <summary>validate and what a running node holds: asked when a daemon answers, nothing said when none does.</summary>
internal sealed partial class ClientCommandsTests
{
    private const string NamesMissingSecret = "name: app\nimage: nginx:1\nbasicAuthKey: secret:api-pw\nresources:\n  machineType: C4\n  ports: [8080]\n";

    [Test]
    public Task ValidateAsync_DaemonAnswersAndLacksTheSecret_PassesWithAWarningAtTheField() => WithSpecAsync(async (dir, deployment) =>
    {
        var error = new StringWriter { NewLine = "\n" };
        var asked = 0;
        var stores = new NodeStores([new SecretInfo("API-PW", DateTimeOffset.UnixEpoch)], [], []);

        var exit = await ClientCommands.ValidateAsync([deployment, deployment], TextWriter.Null, error, _ => Task.FromResult<NodeStores?>(stores).ContinueWith(t => { asked++; return t.Result; }, TaskScheduler.Default), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(ExitCodes.Ok), "a secret may be set after the spec: a warning, not an error");
            Assert.That(error.ToString(), Does.StartWith($"{deployment}:3:15: warning: basicAuthKey: secret 'api-pw' is not set on this node (did you mean 'API-PW'?); "
                + "this version starts no replica until: gradient-node secrets set api-pw"));
            Assert.That(asked, Is.EqualTo(1), "the daemon is asked once, not once per file");
        });
    });

    [Test]
    public Task ValidateAsync_NoDaemonAnswers_SaysNothingAboutTheStores() => WithSpecAsync(async (dir, deployment) =>
    {
        var error = new StringWriter { NewLine = "\n" };
        using var nobody = new ApiClient(Path.Combine(dir, "no-daemon.sock"));

        var exit = await ClientCommands.ValidateAsync([deployment], TextWriter.Null, error, ct => NodeStores.TryReadAsync(nobody, ct), CancellationToken.None);

        Assert.That(exit, Is.EqualTo(ExitCodes.Ok));
        Assert.That(error.ToString(), Is.Empty, "offline: no guess about what the node holds");
    });

    [Test]
    public Task ValidateAsync_RunInputsFile_SaysWhatItIsAndHowToGiveItNotABrokenDeployment() => WithSpecAsync(async (dir, _) =>
    {
        // newuser14: before, "unknown field 'inputs'" and three missing fields, as if it were a broken deployment.
        var inputs = Path.Combine(dir, "inputs.yaml");
        await File.WriteAllTextAsync(inputs, "inputs:\n  count: {value: '3'}\n");
        var error = new StringWriter { NewLine = "\n" };

        var exit = await ClientCommands.ValidateAsync([inputs], TextWriter.Null, error, _ => Task.FromResult<NodeStores?>(null), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(ExitCodes.Ok));
            Assert.That(error.ToString(), Is.EqualTo($"{inputs}: not validated: a workflow run's inputs file (its one key is inputs), checked against its workflow when a run is "
                + $"submitted: gradient-node workflows run -f WORKFLOW.yaml --inputs {inputs}\n"));
        });
    });

    [Test]
    public Task ValidateAsync_WorkflowNoDaemonAnswers_SaysNothingAboutTheStores() => WithSpecAsync(async (dir, _) =>
    {
        var workflow = Path.Combine(dir, "wf.yaml");
        await File.WriteAllTextAsync(workflow, "jobs:\n  a:\n    uses: container@v1\n    env:\n      T: secret:nope\n    with:\n      image: gradient-test/web:1\n");
        var error = new StringWriter { NewLine = "\n" };
        using var nobody = new ApiClient(Path.Combine(dir, "no-daemon.sock"));

        var exit = await ClientCommands.ValidateAsync([workflow], TextWriter.Null, error, ct => NodeStores.TryReadAsync(nobody, ct), (file, text, ct) => WorkflowStoreCheck.TryAsync(nobody, file, text, ct), CancellationToken.None);

        Assert.That(exit, Is.EqualTo(ExitCodes.Ok));
        Assert.That(error.ToString(), Is.Empty, "offline: no guess about what the node holds");
    });

    [Test]
    public async Task ValidateAsync_GpuMachineTypeAndTheNodeSaysItHasNoGpus_WarnsAtTheMachineType()
    {
        // newuser14: before, validate and apply said nothing, and the deployment waited for GPUs for good.
        var dir = Directory.CreateTempSubdirectory("gn-validate-gpu-").FullName;
        var socket = Path.Combine(dir, "api.sock");
        var file = Path.Combine(dir, "big.yaml");
        await File.WriteAllTextAsync(file, "name: big\nimage: team/model:1\nresources:\n  machineType: A100-80G\n  ports: [8080]\n");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socket));
        await using var app = builder.Build();
        foreach (var list in new[] { "/v1/secrets", "/v1/registries", "/v1/models" })
        {
            app.MapGet(list, () => Results.Text("[]", "application/json"));
        }

        app.MapGet("/v1/node", () => Results.Text("{\"gpus\":[],\"gpuNote\":\"no nvidia-smi on PATH: this is a CPU box; machine types with GPUs wait\"}", "application/json"));
        await app.StartAsync();
        try
        {
            var error = new StringWriter { NewLine = "\n" };
            using var api = new ApiClient(socket);

            var exit = await ClientCommands.ValidateAsync([file], TextWriter.Null, error, ct => NodeStores.TryReadAsync(api, ct), CancellationToken.None);

            Assert.Multiple(() =>
            {
                Assert.That(exit, Is.EqualTo(ExitCodes.Ok), "a warning, not an error: the spec may be meant for another node");
                Assert.That(error.ToString(), Does.StartWith($"{file}:4:16: warning: resources.machineType: 'A100-80G' needs 1 GPU per replica and this node has no GPUs (no nvidia-smi on PATH: this is a CPU box; machine types with GPUs wait); "
                    + "no replica of this version can start here"));
            });
        }
        finally
        {
            await app.StopAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Runs <paramref name="test"/> with a folder holding app.yaml, a deployment naming a secret, and removes it after.</summary>
    private static async Task WithSpecAsync(Func<string, string, Task> test)
    {
        var dir = Directory.CreateTempSubdirectory("gn-validate-").FullName;
        try
        {
            var deployment = Path.Combine(dir, "app.yaml");
            await File.WriteAllTextAsync(deployment, NamesMissingSecret);
            await test(dir, deployment);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
