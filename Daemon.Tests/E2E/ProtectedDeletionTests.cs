using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using GradientNode.Core.Engine;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// A protected deployment deleted while its worker is busy (issue 13, item 9): its replicas keep serving until the
/// worker gets to the deletion, and the proxy must keep asking for the password meanwhile.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class ProtectedDeletionTests
{
    private const string Name = "locked gone";
    private const string Slug = "locked-gone";
    private const string Password = "deletion_password";
    private const int MaxRequests = 2000;

    /// <summary>
    /// How long unauthenticated requests are sent after the spec is deleted: the scenario's own timing. Longer than
    /// the route publisher's 5 s rewrite (the old code published the route without auth by then at the latest),
    /// shorter than the ~25 s dockerd waits on the stalling registry before it gives up.
    /// </summary>
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private DockerEngine _engine = null!;
    private GradientNodeProcess _node = null!;

    [SetUp]
    public async Task SetUp()
    {
        _engine = await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null!;
        }

        _engine?.Dispose();
        _engine = null!;
    }

    [Test]
    public async Task SpecDeleted_WhileTheNewImagesPullHangs_NoUnauthenticatedRequestSucceeds()
    {
        var set = await _node.CliWithInputAsync(Password, "secrets", "set", "gone_key");
        Assert.That(set.ExitCode, Is.Zero, set.ToString());
        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1(Name, replicas: 2, top: "basicAuthKey: secret:gone_key"));
        await _node.WaitForStatusAsync(Name, s => s.State == DeploymentState.Ready && s.ReadyReplicas == 2, "Ready with 2 replicas");
        await _node.WaitForRouteAsync(Slug, code => code == HttpStatusCode.Unauthorized);
        using var http = new HttpClient { Timeout = TestTimeouts.Request };
        var authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"paperspace:{Password}")));
        Assert.That(await SendAsync(http, authorization), Is.EqualTo(HttpStatusCode.OK), "with the password before the deletion");
        Assert.That(await SendAsync(http, null), Is.EqualTo(HttpStatusCode.Unauthorized), "without the password before the deletion");

        // A new image from a registry that never answers: the worker is stuck in the pull, the old replicas serve on.
        await using var registry = new StallingRegistry();
        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1(Name, replicas: 2, image: $"{registry.Address}/gradient-test/stalled:1", top: "basicAuthKey: secret:gone_key"));
        await _node.WaitForStatusAsync(Name, s => s.Pull is not null, "the new image's pull to start");
        File.Delete(_node.SpecPath("app.yaml"));

        var counts = new Dictionary<HttpStatusCode, int>();
        int sent = 0, unauthenticatedOk = 0, authenticatedOk = 0;
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < Window && sent < MaxRequests)
        {
            var code = await SendAsync(http, null);
            sent++;
            counts[code] = counts.GetValueOrDefault(code) + 1;
            if ((int)code is >= 200 and < 300)
            {
                unauthenticatedOk++;
            }

            if (await SendAsync(http, authorization) == HttpStatusCode.OK)
            {
                authenticatedOk++;
            }
        }

        var stalled = registry.Connections;
        var pulling = (await _node.StatusAsync(Name))?.Pull is not null;
        var summary = $"{sent} unauthenticated requests in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s: {unauthenticatedOk} got 2xx; "
            + string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{(int)c.Key}: {c.Value}"))
            + $"; {authenticatedOk} authenticated got 200; the pull still ran at the end: {pulling} ({stalled} connections held)";
        await TestContext.Out.WriteLineAsync(summary);

        // The window was real: the replicas still served after the spec was gone, while the worker was in the pull.
        Assert.That(authenticatedOk, Is.GreaterThan(0), summary);
        Assert.That(unauthenticatedOk, Is.Zero, summary);

        // Once the pull fails the worker gets to the deletion: the deployment goes, and so does its route.
        await registry.DisposeAsync();
        await TestTimeouts.WaitUntilAsync(async () => await _node.StatusAsync(Name) is null, TestTimeouts.Rollout, $"{Name} to be removed");
        await TestTimeouts.WaitUntilAsync(async () => await SendAsync(http, null) == HttpStatusCode.NotFound, TestTimeouts.Condition, $"the route of {Slug} to go");
        Assert.That(await _node.ContainersAsync(_engine, Slug, runningOnly: false), Is.Empty);
    }

    private async Task<HttpStatusCode> SendAsync(HttpClient http, AuthenticationHeaderValue? authorization)
    {
        using var request = _node.ProxyRequest(Slug, "/");
        request.Headers.Authorization = authorization;
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
