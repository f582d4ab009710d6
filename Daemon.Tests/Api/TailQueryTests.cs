using System.Net;
using GradientNode.Core.Catalog;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Secrets;
using GradientNode.Daemon.Api;
using GradientNode.Tests.Reconciliation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

/// <summary>The <c>tail</c> of both log endpoints (<see cref="TailQuery"/>): a whole number of lines, else a 400.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class TailQueryTests
{
    [TestCase("0", 0)]
    [TestCase("200", 200)]
    [TestCase("2147483647", int.MaxValue)]
    public void TryRead_WholeNumber_ItsLines(string value, int expected)
    {
        var ok = TailQuery.TryRead(Query(value), out var tail, out var error);

        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.True, error);
            Assert.That(tail, Is.EqualTo(expected));
        });
    }

    [Test]
    public void TryRead_Absent_NoTail()
    {
        Assert.That(TailQuery.TryRead(new QueryCollection(), out var tail, out _) && tail is null, Is.True);
    }

    [TestCase("-1")]
    [TestCase("x")]
    [TestCase("1e9")]
    [TestCase("")]
    [TestCase("+2")]
    [TestCase(" 3")]
    [TestCase("2147483648")]
    public void TryRead_Malformed_RefusedNamingTheParameterAndWhatItTakes(string value)
    {
        var ok = TailQuery.TryRead(Query(value), out _, out var error);

        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.False);
            Assert.That(error, Is.EqualTo($"tail takes a whole number of lines from 0 to 2147483647, not '{value}'"));
        });
    }

    [Test]
    public void TryRead_GivenTwiceOrVeryLong_RefusedAndTheValueShownCut()
    {
        var twice = TailQuery.TryRead(new QueryCollection(new Dictionary<string, StringValues> { ["tail"] = new(["1", "2"]) }), out _, out var twiceError);
        var longOne = TailQuery.TryRead(Query(new string('9', 5000)), out _, out var longError);

        Assert.Multiple(() =>
        {
            Assert.That(twice, Is.False);
            Assert.That(twiceError, Does.EndWith("not '1,2'"));
            Assert.That(longOne, Is.False);
            Assert.That(longError, Does.EndWith($"not '{new string('9', 32)}…'"));
        });
    }

    [Test]
    public async Task Logs_MalformedTailOnEitherLogEndpoint_400NamingTheParameterNotTheWholeLog()
    {
        // Before: both endpoints ignored a malformed tail and streamed the whole log (up to 30 MB of a container's).
        var dir = Directory.CreateTempSubdirectory("gn-logs-tail-").FullName;
        var engine = new RecordingEngine();
        var (app, socket, run) = WorkflowLogsTestHost.BothLogEndpoints(dir, engine, ("fit", "f1\nf2\n"));
        await app.StartAsync();
        try
        {
            using var http = WorkflowLogsTestHost.Client(socket);
            var answers = new List<(HttpStatusCode Status, string Text)>();
            foreach (var path in new[] { "v1/deployments/web/logs?tail=-1", "v1/deployments/web/logs?follow=true&tail=1e9", $"v1/workflows/train/runs/{run}/logs?tail=x", $"v1/workflows/train/runs/{run}/logs?job=fit&tail=" })
            {
                using var response = await http.GetAsync(path);
                answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
            }

            using var good = await http.GetAsync($"v1/workflows/train/runs/{run}/logs?job=fit&tail=1");

            Assert.Multiple(() =>
            {
                Assert.That(answers, Is.EqualTo(new[]
                {
                    (HttpStatusCode.BadRequest, "tail takes a whole number of lines from 0 to 2147483647, not '-1'\n"),
                    (HttpStatusCode.BadRequest, "tail takes a whole number of lines from 0 to 2147483647, not '1e9'\n"),
                    (HttpStatusCode.BadRequest, "tail takes a whole number of lines from 0 to 2147483647, not 'x'\n"),
                    (HttpStatusCode.BadRequest, "tail takes a whole number of lines from 0 to 2147483647, not ''\n"),
                }));
                Assert.That(good.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            });
            Assert.That(await good.Content.ReadAsStringAsync(), Is.EqualTo("f2\n"));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static QueryCollection Query(string tail) => new(new Dictionary<string, StringValues> { ["tail"] = tail });
}
