using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Proxy.Hosting;
using GradientNode.Tests.Proxy.Tls;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// The published binary's proxy role over https with certificates from files: a wildcard from <c>--tls-cert</c>, a
/// per-host one from <c>--tls-dir</c> chosen by SNI, <c>systemctl reload</c> (SIGHUP) swapping the wildcard while
/// requests run, and a bad pair rejected with the previous one kept; and the role run with its systemd unit's runtime
/// settings (<see cref="UnitEnvironment"/>) under concurrent uploads, a held stream and a WebSocket. The route table
/// is written by hand, the replica is Kestrel in the test process: no engine needed.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class HttpsProxyRoleEndToEndTests
{
    private readonly List<IDisposable> _disposables = [];
    private GradientNodeProcess? _proxy;
    private TestBackend? _backend;
    private string? _root;

    [TearDown]
    public async Task TearDown()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
            _proxy = null;
        }

        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }

        _disposables.Clear();
        if (_backend is not null)
        {
            _backend.StreamRelease.TrySetResult();
            await _backend.DisposeAsync();
            _backend = null;
        }

        if (_root is not null)
        {
            Directory.Delete(_root, recursive: true);
            _root = null;
        }
    }

    [Test]
    public async Task ProxyRole_WildcardAndSniFolder_SighupSwapsWildcardUnderLoadAndBadPairKeepsIt()
    {
        var ca = new TestCertificates("E2E CA");
        _disposables.Add(ca);
        _root = Directory.CreateTempSubdirectory("gn-e2e-tls-").FullName;
        // certbot's layout: the paths given to the node are symlinks into an archive folder. Rewriting the archive
        // files in place changes nothing in the watched folder, so only SIGHUP can make the node read them again.
        var archive = Directory.CreateDirectory(Path.Combine(_root, "archive")).FullName;
        var live = Directory.CreateDirectory(Path.Combine(_root, "live")).FullName;
        var hosts = Directory.CreateDirectory(Path.Combine(_root, "hosts")).FullName;
        var (archivedCert, archivedKey) = ca.Write(archive, "wildcard", "*.test.local", "test.local");
        var cert = File.CreateSymbolicLink(Path.Combine(live, "wildcard.crt"), archivedCert).FullName;
        var key = File.CreateSymbolicLink(Path.Combine(live, "wildcard.key"), archivedKey).FullName;
        ca.Write(hosts, "special", "special.test.local");
        _backend = await TestBackend.StartAsync("e2e");

        var port = GradientNodeProcess.FreePort();
        _proxy = GradientNodeProcess.Prepare().Sibling("proxy");
        WriteRoutes(_proxy.RunDir, _backend.Address, "hello", "special");
        await _proxy.StartAsync(extraArgs: ["--listen", $"https://127.0.0.1:{port}", "--domain", "test.local", "--tls-cert", cert, "--tls-key", key, "--tls-dir", hosts]);

        var (hello, helloLeaf) = await GetAsync(ca, port, "hello");
        var (_, specialLeaf) = await GetAsync(ca, port, "special");
        Assert.Multiple(() =>
        {
            Assert.That(hello.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(hello.Version, Is.EqualTo(HttpVersion.Version20), "HTTP/2 by ALPN");
            Assert.That(helloLeaf.GetNameInfo(X509NameType.SimpleName, false), Is.EqualTo("*.test.local"), "the wildcard for a host without its own certificate");
            Assert.That(specialLeaf.GetNameInfo(X509NameType.SimpleName, false), Is.EqualTo("special.test.local"), "the folder's exact-name certificate wins by SNI");
        });
        var before = helloLeaf.Thumbprint;

        // An open connection in the middle of a streamed response, and new connections all through the swap.
        using var open = Client(ca, port, null);
        using var streaming = await open.GetAsync(new Uri($"https://hello.test.local:{port}/stream"), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await streaming.Content.ReadAsStreamAsync());
        Assert.That(await reader.ReadLineAsync(), Is.EqualTo("data: first"));
        using var stop = new CancellationTokenSource();
        var requests = 0;
        var failures = new List<string>();
        var load = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var client = Client(ca, port, null);
                    using var response = await client.GetAsync(new Uri($"https://hello.test.local:{port}/"));
                    Interlocked.Increment(ref requests);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        lock (failures)
                        {
                            failures.Add(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
                        }
                    }
                }
                catch (HttpRequestException e)
                {
                    lock (failures)
                    {
                        failures.Add(e.Message);
                    }
                }
            }
        });
        await TestTimeouts.WaitUntilAsync(() => Volatile.Read(ref requests) > 3, "requests before the swap");
        var (newCert, newKey) = ca.Issue("*.test.local", "test.local");
        await File.WriteAllTextAsync(archivedKey, newKey);
        await File.WriteAllTextAsync(archivedCert, newCert);
        _proxy.Signal(1);
        var after = before;
        await TestTimeouts.WaitUntilAsync(async () => (after = (await GetAsync(ca, port, "hello")).Leaf.Thumbprint) != before, TestTimeouts.Condition, "SIGHUP swaps the certificate");
        var swappedAt = Volatile.Read(ref requests);
        await TestTimeouts.WaitUntilAsync(() => Volatile.Read(ref requests) > swappedAt + 3, "requests after the swap");
        await stop.CancelAsync();
        await load;
        _backend.StreamRelease.SetResult();
        var rest = await reader.ReadToEndAsync();

        // A key that does not match: rejected, naming the file, and the certificate it gave keeps serving.
        await File.WriteAllTextAsync(archivedKey, ca.Issue("*.test.local").Key);
        _proxy.Signal(1);
        await TestTimeouts.WaitUntilAsync(() => _proxy.Output.Contains($"{key}: the private key does not match the certificate", StringComparison.Ordinal), "the bad pair is logged");
        var (kept, keptLeaf) = await GetAsync(ca, port, "hello");

        Assert.Multiple(() =>
        {
            Assert.That(failures, Is.Empty, $"{failures.Count} of {requests} requests failed during the swap");
            Assert.That(_proxy.Output, Does.Contain("TLS certificates re-read (reload)"), "SIGHUP, not the file watcher, read the new pair");
            Assert.That(rest, Does.Contain("data: second"), "the open connection kept streaming");
            Assert.That(kept.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(keptLeaf.Thumbprint, Is.EqualTo(after), "the last good certificate keeps serving");
            Assert.That(_proxy.IsRunning, Is.True);
            Assert.That(_proxy.Output, Does.Not.Contain("SIGHUP ignored"), "no warning when SIGHUP works");
        });
    }

    [Test]
    public async Task ProxyRole_StartedWithSighupIgnored_WarnsThatKillHupWillNotReload()
    {
        // nohup, or a parent that ignores SIGHUP: .NET keeps the inherited ignore, so the reload handler never runs.
        _proxy = GradientNodeProcess.Prepare().Sibling("proxy");
        _proxy.Launcher = ["env", "--ignore-signal=HUP"];
        await _proxy.StartAsync(extraArgs: []);

        Assert.That(_proxy.Output, Does.Contain("gradient-node proxy: warning: started with SIGHUP ignored (as under nohup), so `kill -HUP` will not reload"));
        Assert.That(_proxy.IsRunning, Is.True);
    }

    [Test]
    public async Task ProxyRole_AsItsUnitRunsIt_ConcurrentUploadsStreamAndWebSocketOverTlsAllIntact()
    {
        var ca = new TestCertificates("E2E CA");
        _disposables.Add(ca);
        _root = Directory.CreateTempSubdirectory("gn-e2e-tls-").FullName;
        var (cert, key) = ca.Write(_root, "wildcard", "*.test.local", "test.local");
        _backend = await TestBackend.StartAsync("e2e");
        var port = GradientNodeProcess.FreePort();
        _proxy = GradientNodeProcess.Prepare().Sibling("proxy");
        WriteRoutes(_proxy.RunDir, _backend.Address, "hello");
        await _proxy.StartAsync(extraArgs: ["--listen", $"https://127.0.0.1:{port}", "--domain", "test.local", "--tls-cert", cert, "--tls-key", key]);
        var environment = await File.ReadAllTextAsync($"/proc/{_proxy.Pid}/environ");
        Assert.That(environment.Split('\0'), Does.Contain("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1"), "the proxy runs with its unit's socket setting");

        // A response held open, a WebSocket, and 32 connections (half HTTP/2) each uploading bodies whose digest the
        // replica sends back: with completions and Kestrel's transport run on the socket engine's threads, nothing may
        // stall, mix or break.
        using var open = Client(ca, port, null);
        using var streaming = await open.GetAsync(new Uri($"https://hello.test.local:{port}/stream"), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await streaming.Content.ReadAsStreamAsync());
        Assert.That(await reader.ReadLineAsync(), Is.EqualTo("data: first"));
        using var invoker = new HttpMessageInvoker(Handler(ca, port, null));
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"wss://hello.test.local:{port}/ws"), invoker, CancellationToken.None);

        var failures = new List<string>();
        var uploads = Enumerable.Range(0, 32).Select(connection => Task.Run(async () =>
        {
            using var client = Client(ca, port, null);
            client.DefaultRequestVersion = connection % 2 == 0 ? HttpVersion.Version20 : HttpVersion.Version11;
            client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
            for (var i = 0; i < 8; i++)
            {
                var body = RandomNumberGenerator.GetBytes(16 * 1024 * (1 + ((connection + i) % 16)));
                using var response = await client.PostAsync(new Uri($"https://hello.test.local:{port}/digest"), new ByteArrayContent(body));
                var answer = await response.Content.ReadAsStringAsync();
                var expected = $"{body.Length} {Convert.ToHexString(SHA256.HashData(body))}";
                if (response.StatusCode != HttpStatusCode.OK || answer != expected)
                {
                    lock (failures)
                    {
                        failures.Add($"connection {connection} upload {i}: {(int)response.StatusCode} {answer}");
                    }
                }
            }
        })).ToList();
        var echoes = new List<string>();
        var buffer = new byte[256];
        for (var i = 0; i < 20; i++)
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes($"m{i}"), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            echoes.Add(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }

        await Task.WhenAll(uploads);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        _backend.StreamRelease.SetResult();
        var rest = await reader.ReadToEndAsync();

        Assert.Multiple(() =>
        {
            Assert.That(failures, Is.Empty, $"{failures.Count} of 256 uploads failed or came back wrong");
            Assert.That(echoes, Is.EqualTo(Enumerable.Range(0, 20).Select(i => $"e2e:m{i}")), "the WebSocket echoed every message, in order");
            Assert.That(rest, Does.Contain("data: second"), "the held response finished");
            Assert.That(_proxy.Output, Does.Contain("request I/O inline on the socket threads, upstream connections pooled per socket thread"),
                "Kestrel's transport and the upstream pools follow the runtime's setting");
            Assert.That(_proxy.IsRunning, Is.True);
        });
    }

    /// <summary>The route table the daemon role writes: each slug one ready replica at <paramref name="address"/>.</summary>
    private static void WriteRoutes(string runDir, string address, params string[] slugs)
    {
        Directory.CreateDirectory(runDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var deployments = string.Join(',', slugs.Select(s =>
            $$"""{"slug":"{{s}}","name":"{{s}}","enabled":true,"replicas":[{"id":"{{s}}-0","address":"{{address}}","ready":true}]}"""));
        var path = Path.Combine(runDir, "routes.json");
        var written = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        File.WriteAllText(path, $$"""{"version":1,"written":"{{written}}","deployments":[{{deployments}}]}""");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>One request on a new connection to <c>https://SLUG.test.local:PORT/</c>; the leaf the server sent.</summary>
    private async Task<(HttpResponseMessage Response, X509Certificate2 Leaf)> GetAsync(TestCertificates ca, int port, string slug)
    {
        X509Certificate2? leaf = null;
        using var client = Client(ca, port, c => leaf = c);
        client.DefaultRequestVersion = HttpVersion.Version20;
        var response = await client.GetAsync(new Uri($"https://{slug}.test.local:{port}/"));
        _disposables.Add(response);
        _disposables.Add(leaf!);
        return (response, leaf!);
    }

    private static HttpClient Client(TestCertificates ca, int port, Action<X509Certificate2>? seen) =>
        new(Handler(ca, port, seen)) { Timeout = TestTimeouts.Request };

    /// <summary>Connects every host name to the proxy's loopback port and trusts only <paramref name="ca"/>.</summary>
    private static SocketsHttpHandler Handler(TestCertificates ca, int port, Action<X509Certificate2>? seen)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), token);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        handler.SslOptions.RemoteCertificateValidationCallback = TestCertificates.TrustOnly(ca.Authority, seen);
        return handler;
    }
}
