using GradientNode.Daemon.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

/// <summary><c>workflows ls -o json|yaml</c> and <c>workflows runs NAME -o json|yaml</c>: the API's answer, for scripts.</summary>
internal sealed partial class WorkflowCommandsTests
{
    [Test]
    public async Task RunAsync_LsAndRunsWithOutputJsonOrYaml_PrintTheApisAnswerInThatForm()
    {
        // Before (newuser12): -o went with workflows get only ("-o goes with workflows get only, not with workflows ls"),
        // so a script had only the table, or the API itself, for the phase of a workflow's newest run.
        var socket = Path.Combine(_dir, "out.sock");
        await using var app = DaemonOn(socket);
        app.MapGet("/v1/workflows", () => Results.Text("[{\"name\":\"train\",\"runs\":1,\"latest\":1,\"phase\":\"SUCCEEDED\"}]", "application/json"));
        app.MapGet("/v1/workflows/{name}/runs", () => Results.Text("[{\"run\":1,\"phase\":\"SUCCEEDED\"}]", "application/json"));
        await app.StartAsync();
        using var api = new ApiClient(socket);

        async Task<string> Run(params string[] words)
        {
            using var output = new StringWriter();
            var exit = await new WorkflowCommands(api, output, TextWriter.Null, TimeProvider.System).RunAsync(ParsedArgs.Parse(words), CancellationToken.None);
            Assert.That(exit, Is.EqualTo(ExitCodes.Ok), string.Join(' ', words));
            return output.ToString();
        }

        var lsJson = await Run("ls", "-o", "json");
        var runsYaml = await Run("runs", "train", "--output", "yaml");
        var runsText = await Run("runs", "train", "-o", "text");
        var bad = Assert.ThrowsAsync<UsageException>(() => new WorkflowCommands(api, TextWriter.Null, TextWriter.Null, TimeProvider.System)
            .RunAsync(ParsedArgs.Parse(["ls", "-o", "wide"]), CancellationToken.None));
        await app.StopAsync();

        Assert.Multiple(() =>
        {
            Assert.That(lsJson, Does.StartWith("[").And.Contain("\"phase\": \"SUCCEEDED\"").And.EndWith("]\n"));
            Assert.That(runsYaml, Does.Contain("run: 1").And.Contain("phase: SUCCEEDED"));
            Assert.That(runsText, Does.StartWith("RUN  PHASE"));
            Assert.That(bad!.Message, Is.EqualTo("-o takes json, yaml or text, not 'wide'"));
        });
    }
}
