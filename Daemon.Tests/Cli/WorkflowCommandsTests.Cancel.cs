using GradientNode.Daemon.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

/// <summary><c>workflows cancel NAME</c> without RUN: a usage error that names the runs not ended (newuser15's finding).</summary>
internal sealed partial class WorkflowCommandsTests
{
    [Test]
    public async Task RunAsync_CancelWithoutARun_UsageErrorNamesTheRunsNotEndedAndCancelsNothing()
    {
        var socket = Path.Combine(_dir, "cancel.sock");
        await using var app = DaemonOn(socket);
        var posted = 0;
        app.MapGet("/v1/workflows/{name}/runs", () => Results.Text("[{\"run\":3,\"phase\":\"FAILED\"},{\"run\":4,\"phase\":\"RUNNING\"}]", "application/json"));
        app.MapPost("/v1/workflows/{name}/runs/{run}/cancel", () =>
        {
            posted++;
            return Results.Text("{}", "application/json");
        });
        await app.StartAsync();
        using var api = new ApiClient(socket);

        var refused = Assert.ThrowsAsync<UsageException>(() => new WorkflowCommands(api, TextWriter.Null, TextWriter.Null, TimeProvider.System)
            .RunAsync(ParsedArgs.Parse(["cancel", "train"]), CancellationToken.None));
        await app.StopAsync();

        Assert.Multiple(() =>
        {
            Assert.That(refused!.Message, Is.EqualTo(
                "usage: workflows cancel NAME RUN (the run is never guessed); not ended: run 4 (RUNNING); the newest: gradient-node workflows cancel train 4"));
            Assert.That(posted, Is.Zero, "nothing was canceled");
        });
    }
}
