using System.Net;
using System.Net.Sockets;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Secrets;
using GradientNode.Core.Catalog;
using GradientNode.Daemon.Api;
using GradientNode.Tests.Reconciliation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

/// <summary>
/// <c>GET /v1/deployments/{name}/logs</c> and <c>GET /v1/workflows/{name}/runs/{run}/logs</c> through Kestrel on a unix
/// socket, as the CLI and the console reach them, while the host stops: <see cref="StreamingAnswerTests"/> covers the
/// wrapper alone; this checks both endpoints go through it.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class LogsEndpointsStoppingTests
{
    [Test]
    public async Task Logs_DaemonStopsWhileTheContainersAreListed_Answers503WithRetryAfterNot500AsTheWorkflowLogsDo()
    {
        // console10's O1 through the endpoint: the call is in its container listing when the daemon begins to stop.
        // Before StreamingAnswer.RunAsync wrapped the endpoint, the cancelled listing escaped as Kestrel's bare 500.
        var dir = Directory.CreateTempSubdirectory("gn-logs-stopping-").FullName;
        var engine = new RecordingEngine { ListHold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var (app, socket, run) = WorkflowLogsTestHost.BothLogEndpoints(dir, engine, ("fit", "f1\n"));
        await app.StartAsync();
        try
        {
            using var http = WorkflowLogsTestHost.Client(socket);

            var call = http.GetAsync("v1/deployments/web/logs?follow=true&tail=200");
            await engine.ListEntered.Task.WaitAsync(TimeSpan.FromSeconds(30));
            app.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
            using var response = await call;
            var text = await response.Content.ReadAsStringAsync();
            // The workflow logs endpoint, asked while the daemon stops (its run found, the answer not begun): 503 too,
            // for a kept log as for a followed one (before, only the deployment's endpoint was tested through it).
            using var workflow = await http.GetAsync($"v1/workflows/train/runs/{run}/logs?job=fit");
            var workflowText = await workflow.Content.ReadAsStringAsync();
            using var followed = await http.GetAsync($"v1/workflows/train/runs/{run}/logs?follow=true&tail=10");
            var followedText = await followed.Content.ReadAsStringAsync();

            Assert.Multiple(() =>
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), text);
                Assert.That(text, Is.EqualTo(StreamingAnswer.StoppingText));
                Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(5)));
                Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
                foreach (var (answer, said) in new[] { (workflow, workflowText), (followed, followedText) })
                {
                    Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), said);
                    Assert.That(said, Is.EqualTo(StreamingAnswer.StoppingText));
                    Assert.That(answer.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(5)));
                    Assert.That(answer.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
                }
            });
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        }
    }
}
