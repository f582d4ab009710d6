using System.Diagnostics;
using System.Security.Cryptography;
using GradientNode.Core.Engine;
using NUnit.Framework;

namespace GradientNode.Tests.Infrastructure;

/// <summary>Where the tests find the real Docker engine and how they label what they create.</summary>
internal static class TestEnvironment
{
    /// <summary>Every container a test creates carries <c>gradient.test-run=&lt;RunId&gt;</c>; tests touch nothing else.</summary>
    public const string RunLabel = ContainerLabels.TestRun;

    /// <summary>busybox httpd on :8080 (built by <c>tests/images/build.sh</c>).</summary>
    public const string WebImage = "gradient-test/web:1";

    /// <summary>The same content as <see cref="WebImage"/>, tagged apart so a spec can change image.</summary>
    public const string WebImage2 = "gradient-test/web:2";

    /// <summary>A replica that misbehaves on purpose: tests/images/rogue/rogue answers by path (huge heads, lying bodies, 1xx floods, …).</summary>
    public const string RogueImage = "gradient-test/rogue:1";

    private static readonly Lazy<string> LazyRunId = new(() =>
        Environment.GetEnvironmentVariable("GN_TEST_RUN_ID") is { Length: > 0 } id ? id : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));

    /// <summary><c>$DOCKER_HOST</c>, else the default socket.</summary>
    public static string DockerHost =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : DockerEngineOptions.DefaultHost;

    /// <summary><c>$GN_TEST_RUN_ID</c>, else a random 8-hex id fixed for this test process.</summary>
    public static string RunId => LazyRunId.Value;

    /// <summary><c>gradient.test-run=&lt;RunId&gt;</c>, ready for a label filter.</summary>
    public static string RunLabelFilter => $"{RunLabel}={RunId}";

    /// <summary>True on CI (<c>$CI</c> is <c>true</c> or <c>1</c>): a missing prerequisite fails instead of skipping.</summary>
    public static bool IsCi => Environment.GetEnvironmentVariable("CI") is { } ci
        && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    /// <summary>
    /// GPU tests run against a dockerd whose daemon.json maps a runtime named nvidia to runc (scripts/lib.sh sets it up):
    /// without it they fail under CI and are skipped, saying why, elsewhere.
    /// </summary>
    public static async Task RequireNvidiaRuntimeAsync(DockerEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var info = await engine.GetInfoAsync(CancellationToken.None);
        if (info.Runtimes.Contains("nvidia"))
        {
            return;
        }

        var problem = $"GPU tests need a dockerd with a runtime named nvidia (daemon.json {{\"runtimes\":{{\"nvidia\":{{\"path\":\"runc\"}}}}}}); {DockerHost} has {string.Join(", ", info.Runtimes)}";
        if (IsCi)
        {
            Assert.Fail(problem);
        }

        Assert.Ignore(problem);
    }

    /// <summary>
    /// Ends the test unless the process runs as root (effective uid 0), saying <paramref name="why"/>: a failure on CI,
    /// which runs as root, and a skip elsewhere, as for any other missing prerequisite.
    /// </summary>
    public static void RequireRoot(string why)
    {
        if (Environment.IsPrivilegedProcess)
        {
            return;
        }

        if (IsCi)
        {
            Assert.Fail(why);
        }

        Assert.Ignore(why);
    }

    /// <summary>
    /// A <see cref="DockerEngine"/> on <see cref="DockerHost"/>, after checking the engine answers and the test
    /// image exists. Otherwise fails on CI and is ignored locally, with a message saying how to fix it.
    /// The caller disposes the engine.
    /// </summary>
    public static async Task<DockerEngine> RequireEngineAsync()
    {
        var engine = new DockerEngine(new DockerEngineOptions(DockerHost));
        string? problem = null;
        try
        {
            using var cts = new CancellationTokenSource(TestTimeouts.Short);
            await engine.PingAsync(cts.Token);
            if (await engine.InspectImageAsync(WebImage, cts.Token) is null)
            {
                problem = $"the test image {WebImage} is missing on {DockerHost}. Build it: DOCKER_HOST={DockerHost} tests/images/build.sh";
            }
        }
        catch (Exception ex) when (ex is EngineException or OperationCanceledException)
        {
            problem = $"no Docker engine answers at {DockerHost} ({ex.Message}). Start one, e.g. "
                + "dockerd --host unix:///tmp/gn-docker/docker.sock --data-root /tmp/gn-docker/data --exec-root /tmp/gn-docker/exec "
                + "--pidfile /tmp/gn-docker/docker.pid --config-file /tmp/gn-docker/daemon.json & "
                + "then export DOCKER_HOST=unix:///tmp/gn-docker/docker.sock and run tests/images/build.sh";
        }

        if (problem is null)
        {
            return engine;
        }

        engine.Dispose();
        if (IsCi)
        {
            Assert.Fail("Engine tests need a Docker engine: " + problem);
        }

        Assert.Ignore("Engine tests skipped: " + problem);
        throw new UnreachableException();
    }

    /// <summary>
    /// The engine's own <c>GET /containers/{id}/json</c>, read over the socket without our client: for fields the
    /// engine port does not expose (HostConfig, Config.Env).
    /// </summary>
    public static async Task<System.Text.Json.JsonDocument> InspectContainerJsonAsync(string id, CancellationToken cancellationToken)
    {
        var socketPath = new Uri(DockerHost).LocalPath;
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
                await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(socketPath), ct);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://docker") };
        using var response = await http.GetAsync(new Uri($"/containers/{id}/json", UriKind.Relative), cancellationToken);
        response.EnsureSuccessStatusCode();
        return await System.Text.Json.JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
    }
}
