using System.Text;
using GradientNode.Daemon.Api;
using GradientNode.Daemon.Cli;
using GradientNode.Daemon.Cli.Wait;
using GradientNode.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace GradientNode.Tests.Cli.Wait;

/// <summary><c>logs NAME -f</c> against a fake daemon on a unix socket that cuts the stream as a stopping daemon does.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class DeploymentLogFollowerTests
{
    private const string Route = "/v1/deployments/{name}/logs";

    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("gn-logs-follow-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task StreamAsync_FollowAndTheDaemonRestarts_AsksAgainFromTheLastLinePrintedAndPrintsEachLineOnce()
    {
        // Before: the first cut ended logs -f with exit 1 ("the daemon closed the stream"), while the replicas ran on; then
        // it asked again from its own clock at the cut, and a line logged before that but not yet passed on was lost.
        var socket = Path.Combine(_dir, "api.sock");
        var asked = new List<string>();
        var cut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var before = FakeLogDaemon.Build(socket, Route, $"{Stamp(1)} line 1\n{Stamp(2)} line 2\n", cut, asked);
        await before.StartAsync();
        using var api = new ApiClient(socket);
        using var output = new MemoryStream();
        using var error = new SharedStringWriter();
        var following = new DeploymentLogFollower(api, output, error, TimeProvider.System).StreamAsync("v1/deployments/web/logs?follow=true&tail=5", follow: true, CancellationToken.None);

        await cut.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await before.DisposeAsync();
        await TestTimeouts.WaitUntilAsync(() => error.ToString().Contains("(the daemon closed the log stream", StringComparison.Ordinal), "the follower to find its stream cut");
        // As Docker answers since=2: the last line printed again, one that was in flight at the cut, then a new one.
        await using var after = FakeLogDaemon.Build(socket, Route, $"{Stamp(2)} line 2\n{Stamp(2.5)} line 2.5\n{Stamp(3)} line 3\n", null, asked);
        await after.StartAsync();
        var exit = await following.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(ExitCodes.Ok), error.ToString());
            Assert.That(Encoding.UTF8.GetString(output.ToArray()), Is.EqualTo("line 1\nline 2\nline 2.5\nline 3\n"), "timestamps asked, not shown");
            Assert.That(error.ToString(), Does.Contain("(the daemon closed the log stream (restarting?); still following)").And.Contain("(the daemon answers again)"));
            Assert.That(asked[0], Is.EqualTo("?follow=true&tail=5&timestamps=true&fullTags=true"));
            Assert.That(asked[^1], Is.EqualTo("?follow=true&timestamps=true&fullTags=true&since=1767268802.0000000"), "from the last line printed on, no tail");
        });
    }

    [Test]
    public async Task StreamAsync_FollowWithTimestamps_PrintsThemAsTheDaemonSendsThem()
    {
        var socket = Path.Combine(_dir, "api.sock");
        var asked = new List<string>();
        await using var daemon = FakeLogDaemon.Build(socket, Route, $"{Stamp(1)} [0] a\n", null, asked);
        await daemon.StartAsync();
        using var api = new ApiClient(socket);
        using var output = new MemoryStream();

        var exit = await new DeploymentLogFollower(api, output, new StringWriter(), TimeProvider.System)
            .StreamAsync("v1/deployments/web/logs?follow=true&timestamps=true", follow: true, CancellationToken.None, timestamps: true);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(ExitCodes.Ok));
            Assert.That(Encoding.UTF8.GetString(output.ToArray()), Is.EqualTo($"{Stamp(1)} [0] a\n"));
            Assert.That(asked, Is.EqualTo(new[] { "?follow=true&timestamps=true&fullTags=true" }), "asked once, not twice");
        });
    }

    [Test]
    public async Task StreamAsync_RolloutsOldContainerGoneWhenItAsksAgain_EachContainerKeepsItsTagAndNoLineRepeats()
    {
        // The daemon tags every container with its name's suffix; the command shows the first of replica 0 as [0]. Before,
        // the daemon numbered each stream: after the restart the new container, alone by then, came back as [0].
        var socket = Path.Combine(_dir, "api.sock");
        var asked = new List<string>();
        var cut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var before = FakeLogDaemon.Build(socket, Route, $"{Stamp(1)} [0 aaaaaa] old 1\n{Stamp(2)} [0 bbbbbb] new 1\n{Stamp(3)} [0 aaaaaa] old 2\n{Stamp(4)} [0 bbbbbb] new 2\n", cut, asked);
        await before.StartAsync();
        using var api = new ApiClient(socket);
        using var output = new MemoryStream();
        var error = new StringWriter();
        var following = new DeploymentLogFollower(api, output, error, TimeProvider.System).StreamAsync("v1/deployments/web/logs?follow=true", follow: true, CancellationToken.None);

        await cut.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await before.DisposeAsync();
        // since=3: the old container is gone; the new one's lines from 3 on, the one at 4 printed before.
        await using var after = FakeLogDaemon.Build(socket, Route, $"{Stamp(4)} [0 bbbbbb] new 2\n{Stamp(5)} [0 bbbbbb] new 3\n", null, asked);
        await after.StartAsync();
        var exit = await following.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(ExitCodes.Ok), error.ToString());
            Assert.That(Encoding.UTF8.GetString(output.ToArray()), Is.EqualTo("[0] old 1\n[0 bbbbbb] new 1\n[0] old 2\n[0 bbbbbb] new 2\n[0 bbbbbb] new 3\n"));
            Assert.That(asked[^1], Is.EqualTo("?follow=true&timestamps=true&fullTags=true&since=1767268803.0000000"));
        });
    }

    [Test]
    public async Task StreamAsync_FollowAndTheDaemonEndsTheStream_SaysTheDeploymentWasDeleted()
    {
        // The daemon ends a followed stream (it does not cut it) once the deployment is deleted. Before, logs -f stopped
        // with exit 0 and no word, after the last line of a replica, which read as a hang or a lost connection.
        var socket = Path.Combine(_dir, "api.sock");
        await using var daemon = FakeLogDaemon.Build(socket, Route, $"{Stamp(1)} [0] last line\n", null, []);
        await daemon.StartAsync();
        using var api = new ApiClient(socket);
        using var output = new MemoryStream();
        var error = new StringWriter();

        var exit = await new DeploymentLogFollower(api, output, error, TimeProvider.System)
            .StreamAsync("v1/deployments/my%20app/logs?follow=true", follow: true, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(ExitCodes.Ok));
            Assert.That(Encoding.UTF8.GetString(output.ToArray()), Is.EqualTo("[0] last line\n"), "stdout holds the log alone");
            Assert.That(error.ToString(), Is.EqualTo("(the log ends here: deployment 'my app' was deleted from the node)\n"));
        });
    }

    [Test]
    public async Task StreamAsync_FollowAndAReplicaStops_TheDaemonsNoteGoesToStderrTheLogToStdout()
    {
        // proxy19: the daemon's note that one replica stopped has no timestamp (the log's lines have theirs): it goes to
        // stderr, with the tag shown as the lines' are, and the other replica's lines go on on stdout.
        var socket = Path.Combine(_dir, "api.sock");
        await using var daemon = FakeLogDaemon.Build(
            socket, Route, $"{Stamp(1)} [0 aaaaaa] zero\n{Stamp(1)} [1 bbbbbb] one\n[1 bbbbbb] (replica 1 stopped: scaled down to 1)\n{Stamp(2)} [0 aaaaaa] zero again\n", null, []);
        await daemon.StartAsync();
        using var api = new ApiClient(socket);
        using var output = new MemoryStream();
        var error = new StringWriter();

        await new DeploymentLogFollower(api, output, error, TimeProvider.System)
            .StreamAsync("v1/deployments/my%20app/logs?follow=true", follow: true, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(output.ToArray()), Is.EqualTo("[0] zero\n[1] one\n[0] zero again\n"), "stdout holds the log alone");
            Assert.That(error.ToString(), Does.StartWith("[1] (replica 1 stopped: scaled down to 1)\n"));
        });
    }

    private static string Stamp(double second) => LogTimestamp.Of(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero).AddSeconds(second));

    [TestCase(true, TestName = "{m}(503 with Retry-After: asked again)")]
    [TestCase(false, TestName = "{m}(503 without Retry-After: printed)")]
    public async Task StreamAsync_FollowAndTheDaemonAnswersThatItIsStopping_AsksAgainUntilItServes(bool retryAfter)
    {
        // Before: the 503 a stopping daemon answers (StreamingAnswer) ended logs -f with exit 1, as a cut stream once did. A
        // 503 without Retry-After is the follow-limit refusal: printed at once, as before.
        var socket = Path.Combine(_dir, "api.sock");
        var answers = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socket));
        await using var daemon = builder.Build();
        daemon.MapGet(Route, async (HttpContext context) =>
        {
            if (Interlocked.Increment(ref answers) <= 2)
            {
                context.Response.StatusCode = 503;
                if (retryAfter)
                {
                    context.Response.Headers.RetryAfter = "5";
                }

                await context.Response.WriteAsync("the daemon is stopping: ask again once it is back\n");
                return;
            }

            await context.Response.WriteAsync($"{Stamp(1)} line 1\n");
        });
        await daemon.StartAsync();
        using var api = new ApiClient(socket);
        using var output = new MemoryStream();
        using var error = new SharedStringWriter();

        var exit = await new DeploymentLogFollower(api, output, error, TimeProvider.System)
            .StreamAsync("v1/deployments/web/logs?follow=true", follow: true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Multiple(() =>
        {
            if (retryAfter)
            {
                Assert.That(exit, Is.EqualTo(ExitCodes.Ok), error.ToString());
                Assert.That(Encoding.UTF8.GetString(output.ToArray()), Is.EqualTo("line 1\n"));
                Assert.That(error.ToString(), Does.Contain("(the daemon is stopping (restarting?); asking again)").And.Contain("(the daemon answers again)"));
            }
            else
            {
                Assert.That(exit, Is.Not.EqualTo(ExitCodes.Ok));
                Assert.That(answers, Is.EqualTo(1), "asked once");
            }
        });
    }

    [Test]
    public async Task StreamAsync_NotFollowingAndTheStreamIsCut_ExitsOneSayingSo()
    {
        var socket = Path.Combine(_dir, "api.sock");
        var cut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var daemon = FakeLogDaemon.Build(socket, Route, "line 1\n", cut, []);
        await daemon.StartAsync();
        using var api = new ApiClient(socket);
        using var output = new MemoryStream();
        var error = new StringWriter();

        var exit = await new DeploymentLogFollower(api, output, error, TimeProvider.System).StreamAsync("v1/deployments/web/logs?follow=false", follow: false, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(ExitCodes.Failed));
            Assert.That(error.ToString(), Does.Contain(ApiClient.StreamCut));
        });
    }

    [TestCase("v1/deployments/web/logs?follow=true&tail=10&replica=1", "v1/deployments/web/logs?follow=true&replica=1&since=1767268800.5000000")]
    [TestCase("v1/deployments/web/logs?follow=true&since=1.0000000", "v1/deployments/web/logs?follow=true&since=1767268800.5000000")]
    public void Resumed_Query_KeepsAllButTailAndAsksFromTheCut(string path, string expected)
    {
        var cut = new DateTimeOffset(2026, 1, 1, 12, 0, 0, 500, TimeSpan.Zero);

        Assert.That(DeploymentLogFollower.Resumed(path, cut), Is.EqualTo(expected));
    }
}
