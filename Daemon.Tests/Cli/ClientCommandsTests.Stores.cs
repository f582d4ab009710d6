using GradientNode.Core.Secrets;
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
