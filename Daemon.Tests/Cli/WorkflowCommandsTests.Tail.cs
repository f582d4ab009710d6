using GradientNode.Daemon.Api;
using GradientNode.Daemon.Cli;
using GradientNode.Daemon.Cli.Wait;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

/// <summary><c>workflows logs --tail N</c>: the query it sends, its usage errors, and a followed tail whose stream is cut.</summary>
internal sealed partial class WorkflowCommandsTests
{
    [Test]
    public async Task RunAsync_LogsWithTail_AsksForEachJobsLastLinesAndAMalformedCountIsAUsageError()
    {
        // Before: workflows logs had no --tail, so only a whole kept log (up to 8 MiB a job) could be asked for.
        var socket = Path.Combine(_dir, "tail.sock");
        var asked = new List<string>();
        await using var app = FakeLogDaemon.Build(socket, "/v1/workflows/{name}/runs/{run}/logs", "[a] last\n[b] last\n", null, asked);
        await app.StartAsync();
        using var output = new StringWriter();
        using var api = new ApiClient(socket);
        var commands = new WorkflowCommands(api, output, TextWriter.Null, TimeProvider.System);

        var exit = await commands.RunAsync(ParsedArgs.Parse(["logs", "w", "1", "--tail", "1"]), CancellationToken.None);
        var malformed = Assert.ThrowsAsync<UsageException>(() => commands.RunAsync(ParsedArgs.Parse(["logs", "w", "1", "--tail", "-3"]), CancellationToken.None));
        var elsewhere = Assert.ThrowsAsync<UsageException>(() => commands.RunAsync(ParsedArgs.Parse(["get", "w", "1", "--tail", "3"]), CancellationToken.None));
        await app.StopAsync();

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(ExitCodes.Ok));
            Assert.That(asked, Is.EqualTo(new[] { "?follow=false&tail=1" }));
            Assert.That(output.ToString(), Is.EqualTo("[a] last\n[b] last\n".Replace("\n", Environment.NewLine, StringComparison.Ordinal)));
            Assert.That(malformed!.Message, Is.EqualTo("--tail takes a whole number (0 or more), not '-3'"));
            Assert.That(elsewhere!.Message, Is.EqualTo("--tail goes with workflows logs only, not with workflows get"));
        });
    }

    [Test]
    public async Task RunAsync_LogsFollowWithTailAndTheStreamCut_ResumesAfterTheLastLinePrintedWithNothingTwice()
    {
        // Before: the new stream asked for each job's last N lines again and printed them again (tick 9 twice). Now the
        // first answer says how many lines the tail left out, and the new stream, from the log's start, skips them and the
        // lines printed.
        var (exit, asked, output, error) = await FollowCutStreamAsync("2", "a=7,b=0", "[a] tick 8\n[a] tick 9\n", 10);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(ExitCodes.Ok), error);
            Assert.That(asked, Is.EqualTo(new[] { "?follow=true&tail=2&tailSkipped=true", "?follow=true" }), "the tail first, then the whole log");
            Assert.That(output, Is.EqualTo("[a] tick 8\n[a] tick 9\n[a] tick 10\n".Replace("\n", Environment.NewLine, StringComparison.Ordinal)),
                "each line once, tick 10 not lost");
            Assert.That(error, Does.Contain("(the daemon closed the log stream (restarting?); still following)"));
        });
    }

    [Test]
    public async Task RunAsync_LogsFollowWithATailTheNodeCutAndTheStreamCut_TheCutLinesCountedAndNothingTwice()
    {
        // Before: the node's `[tail cut: the first 2 …]` line (a tail over 4 MiB) counted as one line of job a, so the
        // count was one short and the new stream printed tick 9 twice. It stands for the 2 lines it left out.
        var cut = JobLogPoll.TailCut(2, 3);
        var (exit, _, output, error) = await FollowCutStreamAsync("3", "a=6", $"[a] {cut}\n[a] tick 9\n", 10);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(ExitCodes.Ok), error);
            Assert.That(output, Is.EqualTo($"[a] {cut}\n[a] tick 9\n[a] tick 10\n".Replace("\n", Environment.NewLine, StringComparison.Ordinal)),
                "each line once, tick 10 not lost");
        });
    }

    /// <summary>
    /// <c>workflows logs w 1 -f --tail N</c> against a daemon whose first answer (<paramref name="skipped"/> in its
    /// <c>X-Log-Tail-Skipped</c>, <paramref name="first"/> its body) is cut as a restart cuts it, and whose second is job
    /// a's ticks 1 to <paramref name="ticks"/>, ending with the run.
    /// </summary>
    private async Task<(int Exit, List<string> Asked, string Output, string Error)> FollowCutStreamAsync(string tail, string skipped, string first, int ticks)
    {
        var socket = Path.Combine(_dir, "tail-follow.sock");
        var asked = new List<string>();
        await using var app = DaemonOn(socket);
        app.MapGet("/v1/workflows/{name}/runs/{run}/logs", async (HttpContext context) =>
        {
            int call;
            lock (asked)
            {
                asked.Add(context.Request.QueryString.Value ?? string.Empty);
                call = asked.Count;
            }

            context.Response.ContentType = "text/plain";
            if (call == 1)
            {
                context.Response.Headers[WorkflowLogsEndpoint.TailSkippedHeader] = skipped;
            }

            await context.Response.WriteAsync(call == 1 ? first : string.Concat(Enumerable.Range(1, ticks).Select(i => $"[a] tick {i}\n")));
            await context.Response.Body.FlushAsync();
            if (call == 1)
            {
                // The daemon stopping cuts the first stream; the one it answers next ends with the run.
                await TestTimeouts.HoldAsync("the client reads what was flushed before the stream is cut (it cannot say when it did)", TimeSpan.FromMilliseconds(300));
                context.Abort();
            }
        });
        await app.StartAsync();
        using var output = new SharedStringWriter();
        using var error = new SharedStringWriter();
        using var api = new ApiClient(socket);
        var commands = new WorkflowCommands(api, output, error, TimeProvider.System);

        var exit = await commands.RunAsync(ParsedArgs.Parse(["logs", "w", "1", "-f", "--tail", tail], "-f", "--follow"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
        await app.StopAsync();
        return (exit, asked, output.ToString(), error.ToString());
    }
}
