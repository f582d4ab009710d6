using System.Globalization;
using System.Net;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// A replica as the attacker, live: <c>gradient-test/rogue:1</c> (tests/images/rogue/rogue) answers the proxy and the
/// probes with whatever bytes it likes, through the published binary, while a well-behaved deployment is requested in a
/// loop and must not fail once. The node stays up, its memory bounded, the client gets a clear 502 (or the stream the
/// replica sent, cut when it lies), and the log, traffic and probe status say what happened.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class ReplicaAttackEndToEndTests
{
    private const string Hello = "hello from gradient-test/web";
    private const long MaxGrowthKib = 256 * 1024;

    private GradientNodeProcess _node = null!;

    [SetUp]
    public async Task SetUp()
    {
        await TestEnvironment.RequireEngineAsync();
        _node = await GradientNodeProcess.StartAsync();
        await _node.WriteSpecAsync("good.yaml", SpecYaml.V1("good", replicas: 1));
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null!;
        }
    }

    [Test]
    public async Task Proxy_ReplicaAnswersWithHugeHeadsLyingBodiesInterimFloodsAndExtraAnswers_ClearAnswersAndTheOtherDeploymentNeverFails()
    {
        await _node.WriteSpecAsync("rogue.yaml", SpecYaml.V1("rogue", replicas: 1, image: TestEnvironment.RogueImage));
        await _node.WaitForRouteAsync("good");
        await ProxyAsync("rogue", "/ok", TestTimeouts.Container, wait: true);
        var before = RssKib();
        using var stop = new CancellationTokenSource();
        var good = GoodLoopAsync(stop.Token);

        // 1. Answer heads far over any sane size, and a status line of junk: 502 and a line in the log each.
        foreach (var path in (string[])["/headers/1m", "/headers/100k", "/headers/one10m", "/headers/endless", "/status/junk", "/status/endless"])
        {
            var (code, body) = await ProxyAsync("rogue", path);
            Assert.That(code, Is.EqualTo(HttpStatusCode.BadGateway), path);
            Assert.That(body, Does.StartWith("deployment 'rogue': forwarding to its replica failed"), path);
        }

        // 2. Bodies: one longer than its Content-Length is cut at it; chunk extensions and trailers pass; one shorter,
        // closed early, aborts the client's answer; an endless one streams for as long as the client reads; silence holds.
        Assert.That(await ProxyAsync("rogue", "/body/longer"), Is.EqualTo((HttpStatusCode.OK, "hello")));
        Assert.That(await ProxyAsync("rogue", "/body/chunk-extensions"), Is.EqualTo((HttpStatusCode.OK, "hello world")));
        Assert.That(async () => await ProxyAsync("rogue", "/body/shorter"), Throws.InstanceOf<HttpRequestException>(), "a cut answer is never completed for the client");
        foreach (var path in (string[])["/body/endless", "/body/endless-chunked"])
        {
            Assert.That(await ReadSomeAsync("rogue", path, 32 << 20), Is.EqualTo(32 << 20), path);
        }

        Assert.That(async () => await ProxyAsync("rogue", "/body/silent", TimeSpan.FromSeconds(2)), Throws.InstanceOf<TaskCanceledException>());

        // 3. Interim answers: floods count against the 64 KiB head limit; a 101 nobody asked for is a 502, not an upgrade.
        foreach (var path in (string[])["/1xx/100", "/1xx/103", "/1xx/endless"])
        {
            Assert.That((await ProxyAsync("rogue", path)).Status, Is.EqualTo(HttpStatusCode.BadGateway), path);
        }

        Assert.That(
            await ProxyAsync("rogue", "/1xx/101"),
            Is.EqualTo((HttpStatusCode.BadGateway, "deployment 'rogue': its replica answered 101 Switching Protocols to a request that asked for no upgrade; the node's log says more\n")));
        Assert.That(await ProxyAsync("rogue", "/1xx/connection-upgrade"), Is.EqualTo((HttpStatusCode.OK, "upgraded")));

        // 4. An answer with another answer after it on a kept-alive connection: the next request gets its own answer.
        for (var i = 0; i < 20; i++)
        {
            Assert.That(await ProxyAsync("rogue", "/smuggle"), Is.EqualTo((HttpStatusCode.OK, "ok")));
            Assert.That((await ProxyAsync("rogue", "/ok")).Body, Does.StartWith("ok from "), "round " + i);
        }

        await stop.CancelAsync();
        var (ok, failed, errors) = await good;
        var after = RssKib();
        TestContext.Out.WriteLine($"RSS of gradient-node up: {before} KiB before the attacks, {after} KiB after; good: {ok} served, {failed} failed");
        var status = await _node.WaitForStatusAsync("rogue", s => s.Traffic is { Status5xx: >= 10 }, "the rogue's ten 502s counted in its traffic");
        Assert.Multiple(() =>
        {
            Assert.That(failed, Is.Zero, string.Join("; ", errors.Distinct().Take(5)));
            Assert.That(ok, Is.GreaterThan(10));
            Assert.That(_node.IsRunning, Is.True);
            Assert.That(after - before, Is.LessThan(MaxGrowthKib), $"RSS {before} → {after} KiB");
            Assert.That(status.State, Is.EqualTo(DeploymentState.Ready));
            Assert.That(_node.Output, Does.Contain("[3024] Deployment 'rogue': replica http://").And.Contain("answered 101 Switching Protocols to GET /1xx/101"));
            Assert.That(_node.Output, Does.Contain("[3022] Deployment 'rogue': forwarding to http://").And.Contain("65536 bytes"));
        });
    }

    [Test]
    public async Task Probes_ReplicaAnswersSlowlyHugelyWithARedirectAwayEndlessHeadersOrEscapes_StatusSaysWhatAndNothingIsFollowed()
    {
        // A loopback port on the host, as a root-only service would be: the daemon (root) would reach it if it followed.
        using var elsewhere = new RawHttpReplica(_ => RawHttpReplica.Ok("followed"));
        var probes = new Dictionary<string, string>
        {
            ["p-slow"] = "/probe/slow",
            ["p-huge"] = "/probe/huge-body",
            ["p-away"] = "/probe/redirect-away",
            ["p-headers"] = "/probe/endless-headers",
            ["p-escapes"] = "/probe/junk-reason",
        };
        foreach (var (name, path) in probes)
        {
            await _node.WriteSpecAsync($"{name}.yaml", SpecYaml.V1(name, replicas: 1, image: TestEnvironment.RogueImage, extra: $"""
                env:
                  - name: ROGUE_TARGET
                    value: http://127.0.0.1:{elsewhere.Port}/secret
                healthChecks:
                  readiness:
                    path: {path}
                    periodSeconds: 1
                    timeoutSeconds: 2
                    failureThreshold: 1
                """));
        }

        await _node.WaitForRouteAsync("good");
        var before = RssKib();
        using var stop = new CancellationTokenSource();
        var good = GoodLoopAsync(stop.Token);

        var slow = await ReadinessAsync("p-slow", "timeout");
        var headers = await ReadinessAsync("p-headers", "error");
        var escapes = await ReadinessAsync("p-escapes", "httpStatus");
        var huge = await _node.WaitForStatusAsync("p-huge", s => s.State == DeploymentState.Ready, "p-huge ready (its body is never read)");
        var away = await _node.WaitForStatusAsync("p-away", s => s.State == DeploymentState.Ready, "p-away ready (3xx passes, not followed)");
        // A few more probe periods in which a followed redirect would reach the listener.
        await _node.WaitForStatusAsync("p-away", s => s.Replicas.Single().Health?.Readiness?.LastProbedAt > away.Replicas.Single().Health?.Readiness?.LastProbedAt?.AddSeconds(2), "three more probes of p-away");

        await stop.CancelAsync();
        var (ok, failed, errors) = await good;
        var after = RssKib();
        TestContext.Out.WriteLine($"RSS of gradient-node up: {before} KiB with the probed deployments starting, {after} KiB after; good: {ok} served, {failed} failed");
        Assert.Multiple(() =>
        {
            Assert.That(slow, Does.EndWith("timed out after 2 s"));
            Assert.That(headers, Does.Contain("65536 bytes"));
            Assert.That(escapes, Does.StartWith("500 ?[2J?]0;pwned?RRRR").And.Contain(" more) from GET /probe/junk-reason"));
            Assert.That(escapes.Where(char.IsControl), Is.Empty);
            Assert.That(escapes, Has.Length.LessThan(300));
            Assert.That(huge.Replicas.Single().Health?.Readiness?.LastMessage, Does.StartWith("200 OK from GET /probe/huge-body"));
            Assert.That(away.Replicas.Single().Health?.Readiness?.LastMessage, Does.StartWith("302 Found from GET /probe/redirect-away"));
            Assert.That(elsewhere.Asked(), Is.Empty, "the node followed a replica's redirect");
            Assert.That(failed, Is.Zero, string.Join("; ", errors.Distinct().Take(5)));
            Assert.That(_node.IsRunning, Is.True);
            Assert.That(after - before, Is.LessThan(MaxGrowthKib), $"RSS {before} → {after} KiB");
        });
    }

    private async Task<string> ReadinessAsync(string name, string result)
    {
        var status = await _node.WaitForStatusAsync(
            name, s => s.Replicas.Any(r => r.Health?.Readiness?.LastResult == result), $"{name}'s readiness probe failing with {result}");
        return status.Replicas.First(r => r.Health?.Readiness?.LastResult == result).Health!.Readiness!.LastMessage ?? string.Empty;
    }

    private long RssKib()
    {
        var line = File.ReadLines($"/proc/{_node.Pid}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private async Task<(HttpStatusCode Status, string Body)> ProxyAsync(string slug, string path, TimeSpan? timeout = null, bool wait = false)
    {
        using var http = new HttpClient { Timeout = timeout ?? TestTimeouts.Request };
        if (wait)
        {
            await TestTimeouts.WaitUntilAsync(
                async () =>
                {
                    using var probe = await http.SendAsync(_node.ProxyRequest(slug, path));
                    return probe.StatusCode == HttpStatusCode.OK;
                },
                timeout ?? TestTimeouts.Container,
                $"the proxy to serve {slug}{path}");
        }

        using var response = await http.SendAsync(_node.ProxyRequest(slug, path));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Reads up to <paramref name="limit"/> bytes of an answer's body, then leaves.</summary>
    private async Task<long> ReadSomeAsync(string slug, string path, long limit)
    {
        using var http = new HttpClient { Timeout = TestTimeouts.Request };
        using var response = await http.SendAsync(_node.ProxyRequest(slug, path), HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1 << 16];
        long total = 0;
        while (total < limit && await body.ReadAsync(buffer) is > 0 and var read)
        {
            total += read;
        }

        return Math.Min(total, limit);
    }

    /// <summary>Requests the good deployment until stopped; each answer must be its own page.</summary>
    private async Task<(int Ok, int Failed, List<string> Errors)> GoodLoopAsync(CancellationToken stop)
    {
        using var http = new HttpClient { Timeout = TestTimeouts.Request };
        var (ok, failed, errors) = (0, 0, new List<string>());
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var response = await http.SendAsync(_node.ProxyRequest("good", "/"), CancellationToken.None);
                var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                if (response.IsSuccessStatusCode && body.Contains(Hello, StringComparison.Ordinal))
                {
                    ok++;
                }
                else
                {
                    failed++;
                    errors.Add($"HTTP {(int)response.StatusCode}: {body[..Math.Min(body.Length, 80)]}");
                }
            }
            catch (HttpRequestException ex)
            {
                failed++;
                errors.Add(ex.Message);
            }
        }

        return (ok, failed, errors);
    }
}
