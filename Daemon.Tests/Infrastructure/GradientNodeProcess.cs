// Over 300 lines: the one handle every E2E test uses on the published binary (start, stop, signals, CLI, socket API, status waits, proxy requests), kept together so tests read one type.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GradientNode.Core.Engine;
using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.Infrastructure;

/// <summary>
/// The real published <c>gradient-node up</c> as a child process, with its own specs/state/run dirs, a free
/// loopback port, its own node name, and the run's test label on every container it creates.
/// </summary>
internal sealed partial class GradientNodeProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    private GradientNodeProcess(string root, string nodeName, int port)
    {
        Root = root;
        NodeName = nodeName;
        Port = port;
        Directory.CreateDirectory(SpecsDir);
    }

    public string Root { get; }

    public string NodeName { get; }

    public int Port { get; }

    public string SpecsDir => Path.Combine(Root, "specs");

    public string StateDir => Path.Combine(Root, "state");

    public string RunDir => Path.Combine(Root, "run");

    public string Socket => Path.Combine(RunDir, "gradient.sock");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The published binary: <c>$GRADIENT_NODE_BIN</c>, else <c>artifacts/bin/gradient-node</c> in the repo.</summary>
    public static string BinaryPath()
    {
        var path = Environment.GetEnvironmentVariable("GRADIENT_NODE_BIN");
        if (string.IsNullOrEmpty(path))
        {
            var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Gradient.Node.sln")))
            {
                dir = dir.Parent;
            }

            path = dir is null ? "gradient-node" : Path.Combine(dir.FullName, "artifacts", "bin", "gradient-node");
        }

        if (!File.Exists(path))
        {
            var problem = $"the published binary {path} is missing: run ./test.sh, or dotnet publish Daemon/Daemon.csproj -c Release -o artifacts/bin";
            if (TestEnvironment.IsCi)
            {
                Assert.Fail(problem);
            }

            Assert.Ignore(problem);
        }

        return path;
    }

    /// <summary>
    /// <c>--git-local-root</c> for the folder of test.sh's file:// LFS repository: local git remotes are refused
    /// elsewhere (issue 13). None when the integration sources are not set up.
    /// </summary>
    public static IEnumerable<string> LocalGitRootArgs() =>
        Environment.GetEnvironmentVariable("GN_TEST_GIT_LFS_URL") is { } url && url.StartsWith("file:///", StringComparison.Ordinal)
            ? ["--git-local-root", Path.GetDirectoryName(url["file://".Length..])!]
            : [];

    /// <summary>Starts a node (<c>up</c>) in a fresh directory.</summary>
    public static async Task<GradientNodeProcess> StartAsync()
    {
        var node = Prepare();
        await node.StartAsync(extraArgs: []);
        return node;
    }

    /// <summary>A node in a fresh directory, not started yet.</summary>
    public static GradientNodeProcess Prepare() => Prepare(FreePort());

    /// <summary>A node in a fresh directory listening on <paramref name="port"/> (0: any free port), not started yet.</summary>
    public static GradientNodeProcess Prepare(int port)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        return new GradientNodeProcess(Path.Combine(Path.GetTempPath(), $"gn-e2e-{id}"), $"e2e-{TestEnvironment.RunId}-{id}", port);
    }

    /// <summary>Another process over the same directories, port and node name (e.g. the proxy role beside the daemon role).</summary>
    public GradientNodeProcess Sibling(string role) => new(Root, NodeName, Port) { Role = role };

    /// <summary><c>up</c>, <c>daemon</c> or <c>proxy</c>.</summary>
    public string Role { get; init; } = "up";

    /// <summary>
    /// Extra environment variables for the role process (e.g. <c>NOTIFY_SOCKET</c>), after the <c>DOTNET_</c> settings
    /// of the role's systemd unit (<see cref="UnitEnvironment"/>), which they override.
    /// </summary>
    public Dictionary<string, string> ExtraEnvironment { get; } = new(StringComparer.Ordinal);

    /// <summary>The role's process id while it runs.</summary>
    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>Sends <paramref name="signal"/> (e.g. 1 = SIGHUP) to the role process.</summary>
    public void Signal(int signal)
    {
        if (_process is { HasExited: false } p)
        {
            _ = Kill(p.Id, signal);
        }
    }

    /// <summary>Sends <paramref name="signal"/> (e.g. 2 = SIGINT, Ctrl-C) to any process this test started.</summary>
    public static void SignalProcess(int pid, int signal) => _ = Kill(pid, signal);

    /// <summary>
    /// A command that execs the binary, e.g. <c>["env", "--ignore-signal=HUP"]</c> to start it as <c>nohup</c> would;
    /// the process id stays the binary's. Empty: the binary itself.
    /// </summary>
    public IReadOnlyList<string> Launcher { get; set; } = [];

    public async Task StartAsync(IReadOnlyList<string> extraArgs)
    {
        var start = new ProcessStartInfo(Launcher.Count > 0 ? Launcher[0] : BinaryPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Launcher.Count > 0)
        {
            foreach (var arg in Launcher.Skip(1).Append(BinaryPath()))
            {
                start.ArgumentList.Add(arg);
            }
        }

        foreach (var arg in (string[])[
            Role, "--specs-dir", SpecsDir, "--state-dir", StateDir, "--run-dir", RunDir,
            "--listen", $"http://127.0.0.1:{Port}", "--node-name", NodeName, "--label", TestEnvironment.RunLabelFilter,
            "--docker-host", TestEnvironment.DockerHost, "--ready-wait", "5",
        ])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var arg in LocalGitRootArgs().Concat(extraArgs))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in UnitEnvironment.For(Role).Concat(ExtraEnvironment))
        {
            start.Environment[name] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("gradient-node did not start");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilAsync(async () => _process.HasExited || await HealthyAsync(), TestTimeouts.Container, $"gradient-node {Role} to answer");
        if (_process.HasExited)
        {
            Assert.Fail($"gradient-node exited with {_process.ExitCode} at start:\n{Output}");
        }
    }

    /// <summary>SIGTERM, as systemd would (or SIGKILL, as a crash would); waits for the process to end.</summary>
    public async Task StopAsync(bool crash = false)
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        _ = Kill(_process.Id, crash ? 9 : 15);
        using var timeout = new CancellationTokenSource(TestTimeouts.Container);
        await _process.WaitForExitAsync(timeout.Token);
    }

    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    public bool IsRunning => _process is { HasExited: false };

    public string SpecPath(string fileName) => Path.Combine(SpecsDir, fileName);

    public Task WriteSpecAsync(string fileName, string yaml) => File.WriteAllTextAsync(SpecPath(fileName), yaml);

    /// <summary>Runs a client verb against this node's socket.</summary>
    public Task<CliResult> CliAsync(params string[] args) => CliWithInputAsync(null, args);

    /// <summary>Runs a client verb with <paramref name="stdin"/> as its standard input.</summary>
    public Task<CliResult> CliWithInputAsync(string? stdin, params string[] args) =>
        CliWithBytesAsync(stdin is null ? null : Encoding.UTF8.GetBytes(stdin), args);

    /// <summary>Runs a client verb with exactly these bytes (UTF-8 or not) as its standard input.</summary>
    public async Task<CliResult> CliWithBytesAsync(byte[]? stdin, params string[] args)
    {
        var start = new ProcessStartInfo(BinaryPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--socket");
        start.ArgumentList.Add(Socket);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin);
            await process.StandardInput.BaseStream.FlushAsync();
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TestTimeouts.Container);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // A verb that should have exited (say, `up` with an option that ought to be refused) must not outlive the test.
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"gradient-node {string.Join(' ', args)} still ran after {TestTimeouts.Container}; killed");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A GET on the API socket (e.g. <c>metrics</c>); the body as text.</summary>
    public async Task<string> ApiGetAsync(string path)
    {
        using var http = SocketClient();
        using var response = await http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary><c>GET /v1/deployments/{name}</c>; null on 404.</summary>
    public async Task<DeploymentStatus?> StatusAsync(string name)
    {
        using var http = SocketClient();
        using var response = await http.GetAsync($"v1/deployments/{Uri.EscapeDataString(name)}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), StatusJsonContext.Default.DeploymentStatus);
    }

    public async Task<DeploymentStatus> WaitForStatusAsync(string name, Func<DeploymentStatus, bool> condition, string what, TimeSpan? timeout = null)
    {
        DeploymentStatus? last = null;
        await TestTimeouts.WaitUntilAsync(
            async () =>
            {
                last = await StatusAsync(name);
                return last is not null && condition(last);
            },
            timeout ?? TestTimeouts.Container,
            () => $"{name}: {what} (last status: {(last is null ? "none" : JsonSerializer.Serialize(last, StatusJsonContext.Default.DeploymentStatus))})");
        return last!;
    }

    /// <summary>Waits until run <paramref name="run"/> of <paramref name="workflow"/>, as the API shows it, meets <paramref name="condition"/>.</summary>
    public async Task WaitForRunAsync(string workflow, int run, Func<JsonElement, bool> condition, string what)
    {
        string? last = null;
        await TestTimeouts.WaitUntilAsync(
            async () =>
            {
                last = await ApiGetAsync($"v1/workflows/{workflow}/runs/{run}");
                using var document = JsonDocument.Parse(last);
                return condition(document.RootElement);
            },
            TestTimeouts.Container,
            () => $"{workflow} run {run}: {what} (last: {last})");
    }

    /// <summary>This node's containers for <paramref name="slug"/>, from Docker.</summary>
    public async Task<IReadOnlyList<ContainerSummary>> ContainersAsync(IContainerEngine engine, string slug, bool runningOnly = true)
    {
        var all = await engine.ListContainersAsync([$"{ContainerLabels.Node}={NodeName}", $"{ContainerLabels.Deployment}={slug}"], CancellationToken.None);
        return [.. all.Where(c => !runningOnly || c.State == "running")];
    }

    /// <summary>An HTTP client to the proxy; requests need a Host header naming the deployment.</summary>
    public HttpRequestMessage ProxyRequest(string slug, string path, HttpMethod? method = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, $"http://127.0.0.1:{Port}{path}");
        request.Headers.Host = $"{slug}.localhost:{Port}";
        return request;
    }

    /// <summary>Waits until the proxy knows <paramref name="slug"/> (the route file trails the status by a moment).</summary>
    public async Task WaitForRouteAsync(string slug, Func<HttpStatusCode, bool>? accept = null)
    {
        using var http = new HttpClient();
        var last = HttpStatusCode.NotFound;
        await TestTimeouts.WaitUntilAsync(
            async () =>
            {
                using var response = await http.SendAsync(ProxyRequest(slug, "/"));
                last = response.StatusCode;
                return accept?.Invoke(last) ?? last == HttpStatusCode.OK;
            },
            TestTimeouts.Container,
            () => $"the proxy to route {slug} (last answer {(int)last})");
    }

    public HttpClient SocketClient()
    {
        var socket = Socket;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), token);
                return new NetworkStream(s, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://gradient-node/"), Timeout = TestTimeouts.Container };
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        using var engine = new DockerEngine(new DockerEngineOptions(TestEnvironment.DockerHost));
        try
        {
            foreach (var container in await engine.ListContainersAsync([$"{ContainerLabels.Node}={NodeName}"], CancellationToken.None))
            {
                await engine.RemoveContainerAsync(container.Id, force: true, CancellationToken.None);
            }
        }
        catch (EngineUnavailableException)
        {
            // No engine here (a run of the tests that need none): no container of this node can exist. Its folder still goes.
        }

        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            TestContext.Out.WriteLine($"--- gradient-node output ({NodeName}) ---\n{Output}");
        }

        try
        {
            GradientNode.Core.Common.RawTree.Delete(Root); // a job's output may be deeper than .NET can delete
        }
        catch (IOException)
        {
            // A leftover temp dir is harmless.
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        await TestTimeouts.WaitUntilAsync(condition, timeout, what);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task<bool> HealthyAsync()
    {
        if (Role == "proxy")
        {
            try
            {
                // Any answer will do; not following it: with an https listener it is a 308 to a name that does not resolve.
                using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });
                using var response = await http.SendAsync(ProxyRequest("health-check-probe", "/"));
                return true;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }

        if (!File.Exists(Socket))
        {
            return false;
        }

        try
        {
            using var http = SocketClient();
            using var response = await http.GetAsync("v1/health");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
