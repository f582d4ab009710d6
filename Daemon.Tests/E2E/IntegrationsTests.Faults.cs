using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>Faults: a download that hangs, a disk that fills up, a new version whose integration fails while the old one serves.</summary>
internal sealed partial class IntegrationsTests
{
    private readonly List<string> _mounts = [];

    [Test]
    public async Task S3Integration_EndpointAcceptsButNeverAnswers_FailsWithNoProgressStartsNothingAndRetries()
    {
        using var hanging = HangingServer.Start();
        await RestartNodeAsync(node => node.ExtraEnvironment["GN_FETCH_STALL_TIMEOUT"] = "2");
        await SetS3SecretAsync("S3RVER");
        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("hung app", replicas: 1, extra: S3Integration("S3RVER", hanging.Endpoint)));

        var status = await _node.WaitForStatusAsync("hung app", s => s.State == DeploymentState.Failed, "Failed for the stalled download", TestTimeouts.Container);
        Assert.That(status.Message, Does.Contain("integrations[weights]").And.Contain("no progress for 2s").And.Contain("retrying in"));
        Assert.That(status.Volumes.Single().State, Is.EqualTo("failed"));
        Assert.That(hanging.Connections, Is.GreaterThanOrEqualTo(1), "the fetch reached the endpoint");

        var first = hanging.Connections;
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(hanging.Connections > first), TestTimeouts.Container, "a second attempt to connect after the backoff");
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(_node.Output.Contains("attempt 2)", StringComparison.Ordinal)), TestTimeouts.Short, "the daemon logging attempt 2");
        Assert.That(await _node.ContainersAsync(_engine, "hung-app", runningOnly: false), Is.Empty, "no replica of a version whose content is missing");
    }

    [Test]
    public async Task S3Integration_StateDirOnTinyDisk_FailsSayingTheDiskIsFullAndLeavesNoPartialContent()
    {
        TestEnvironment.RequireRoot("mounting a tiny tmpfs as the node's --state-dir needs root (CI runs as root)");

        await RestartNodeAsync(node => MountTmpfs(node.StateDir, "8m"));
        await SetS3SecretAsync("S3RVER");
        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("full disk", replicas: 1, extra: S3Integration("S3RVER")));

        var status = await _node.WaitForStatusAsync("full disk", s => s.State == DeploymentState.Failed, "Failed for the full disk", TestTimeouts.Container);
        // The 40 MiB object is refused from its listed size, before a byte lands (the ENOSPC path: VolumeMaterializerTests).
        Assert.That(status.Message, Does.Contain("integrations[weights]").And.Contain("the node's disk is full for it").And.Contain("bytes the node's disk has free").And.Contain("retrying in"));
        Assert.That(await _node.ContainersAsync(_engine, "full-disk", runningOnly: false), Is.Empty);
        var cache = Path.Combine(_node.StateDir, "volumes", "cache");
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(!Directory.EnumerateFileSystemEntries(cache).Any()), TestTimeouts.Short, "the partial download removed");
    }

    [Test]
    public async Task S3Integration_NewVersionWithBadKey_PreviousVersionKeepsServingAndFixingTheSpecHeals()
    {
        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("keep app", replicas: 1));
        await _node.WaitForStatusAsync("keep app", s => s.State == DeploymentState.Ready, "version A Ready");
        await _node.WaitForRouteAsync("keep-app");
        var before = (await _node.ContainersAsync(_engine, "keep-app")).Select(c => c.Id).ToList();
        Assert.That(before, Has.Count.EqualTo(1));

        await SetS3SecretAsync("whatever-secret");
        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("keep app", replicas: 1, extra: S3Integration("NOT-A-KEY")));
        var status = await _node.WaitForStatusAsync(
            "keep app", s => s.State == DeploymentState.Degraded && s.Message?.Contains("integrations[weights]", StringComparison.Ordinal) == true, "Degraded for version B's bad key");
        Assert.That(status.Message, Does.Contain("access denied"));
        Assert.That(status.ReadyReplicas, Is.EqualTo(1), "version A still counts as ready");

        // Version A keeps answering through the proxy, also after a few reconciles (errors recheck every 15 s).
        using var http = new HttpClient();
        for (var i = 0; i < 3; i++)
        {
            using var response = await http.SendAsync(_node.ProxyRequest("keep-app", "/"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await _node.WaitForStatusAsync("keep app", s => s.Volumes.SingleOrDefault()?.Fetches >= 2, "a retry of version B's fetch", TimeSpan.FromSeconds(45));
        Assert.That((await _node.ContainersAsync(_engine, "keep-app", runningOnly: false)).Select(c => c.Id), Is.EqualTo(before), "no replica of B, A untouched");
        using (var response = await http.SendAsync(_node.ProxyRequest("keep-app", "/")))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await SetS3SecretAsync("S3RVER");
        await _node.WriteSpecAsync("app.yaml", SpecYaml.V1("keep app", replicas: 1, extra: S3Integration("S3RVER")));
        status = await _node.WaitForStatusAsync(
            "keep app", s => s.State == DeploymentState.Ready && s.Volumes.SingleOrDefault()?.State == "ready", "Ready with the fixed integration", TestTimeouts.Rollout);
        await TestTimeouts.WaitUntilAsync(
            async () => (await _node.ContainersAsync(_engine, "keep-app", runningOnly: false)) is [var only] && !before.Contains(only.Id), TestTimeouts.Condition, "A replaced by B");
        await _node.WaitForRouteAsync("keep-app");
        Assert.That(status.Message, Does.Not.Contain("integrations[weights]"));
    }

    /// <summary>Called by TearDown after the node stopped.</summary>
    private void UnmountAll()
    {
        foreach (var path in _mounts)
        {
            Run("umount", "-l", path);
            try
            {
                // The node's root, which DisposeAsync could not delete while the state dir was mounted.
                Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp dir is harmless.
            }
        }

        _mounts.Clear();
    }

    private async Task RestartNodeAsync(Action<GradientNodeProcess> configure)
    {
        await _node.DisposeAsync();
        _node = GradientNodeProcess.Prepare();
        configure(_node);
        await _node.StartAsync(extraArgs: []);
    }

    private async Task SetS3SecretAsync(string value)
    {
        var set = await _node.CliWithInputAsync(value, "secrets", "set", "s3key");
        Assert.That(set.ExitCode, Is.Zero, set.ToString());
    }

    private void MountTmpfs(string path, string size)
    {
        Directory.CreateDirectory(path);
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", path);
        Assert.That(code, Is.Zero, $"mount -t tmpfs on {path} failed: {output}");
        _mounts.Add(path);
    }

    private static (int Code, string Output) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    /// <summary>An "S3 endpoint" on loopback that accepts connections, reads the request, and never answers.</summary>
    private sealed class HangingServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly List<TcpClient> _clients = [];
        private int _connections;

        public string Endpoint => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

        public int Connections => Volatile.Read(ref _connections);

        public static HangingServer Start()
        {
            var server = new HangingServer();
            server._listener.Start();
            _ = server.AcceptAsync();
            return server;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_clients)
            {
                _clients.ForEach(c => c.Dispose());
            }

            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    Interlocked.Increment(ref _connections);
                    lock (_clients)
                    {
                        _clients.Add(client);
                    }

                    _ = DrainAsync(client);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }

        private async Task DrainAsync(TcpClient client)
        {
            var buffer = new byte[4096];
            try
            {
                var stream = client.GetStream();
                while (await stream.ReadAsync(buffer, _stop.Token) > 0)
                {
                    // Read the request, answer nothing.
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The fetch gave up, or the test ended.
            }
        }
    }
}
