using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using GradientNode.Core.Engine;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// systemd socket activation (docs/design/systemd.md): the published <c>up</c> started as systemd starts a service
/// with a <c>.socket</c> unit, the listening socket held by this test (as systemd holds it) and passed down as
/// descriptor 3 with <c>LISTEN_FDS</c>/<c>LISTEN_PID</c> by a <c>perl</c> launcher that then execs the binary.
/// </summary>
[TestFixture]
[Category("E2E")]
[NonParallelizable]
internal sealed partial class SocketActivationTests
{
    /// <summary>Puts the socket at descriptor 3 and execs the rest of the arguments with the process id kept, as systemd does.</summary>
    private const string PassAsDescriptorThree =
        "my $fd = shift @ARGV; if ($fd != 3) { POSIX::dup2($fd, 3) or die \"dup2: $!\"; POSIX::close($fd); } "
        + "$ENV{LISTEN_FDS} = 1; $ENV{LISTEN_PID} = $$; exec { $ARGV[0] } @ARGV or die \"exec: $!\";";

    private DockerEngine _engine = null!;

    [SetUp]
    public async Task SetUp() => _engine = await TestEnvironment.RequireEngineAsync();

    [TearDown]
    public void TearDown()
    {
        _engine?.Dispose();
        _engine = null!;
    }

    [Test]
    public async Task Up_RestartedWhileSystemdHoldsItsSocket_NoRequestFailsAndThoseSentMeanwhileAreServed()
    {
        // Before: the new process tried to bind the port itself ("address already in use", as systemd holds it); without
        // a socket unit a restart refuses connections until the new process listens (about 2 s here, 10 s on a busy box).
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(512);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        await using var node = GradientNodeProcess.Prepare(port);
        var descriptor = (int)listener.SafeHandle.DangerousGetHandle();
        node.Launcher = ["perl", "-MPOSIX", "-e", PassAsDescriptorThree, descriptor.ToString(CultureInfo.InvariantCulture)];
        await StartPassingAsync(node, descriptor);
        Assert.That(node.Output, Does.Contain($"http://127.0.0.1:{port} is served on the socket systemd holds (127.0.0.1:{port})"));
        await node.WriteSpecAsync("web.yaml", SpecYaml.V1("web", replicas: 1));
        await node.WaitForStatusAsync("web", s => s.State == DeploymentState.Ready, "Ready");
        await node.WaitForRouteAsync("web");

        using var stopPolling = new CancellationTokenSource();
        var answers = new List<Answer>();
        var polling = Task.Run(() => PollAsync(port, answers, stopPolling.Token));
        await WaitForAnswersAsync(answers, 10);
        await node.StopAsync();
        // One request sent on a new connection while no process runs (the poller may be waiting on one it sent before
        // the stop for as long as the restart takes, so it proves nothing of its own about the time in between).
        using var meanwhile = new TcpClient();
        await meanwhile.ConnectAsync(IPAddress.Loopback, port);
        await meanwhile.GetStream().WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: web.localhost:{port}\r\nConnection: close\r\n\r\n"));
        await StartPassingAsync(node, descriptor);
        using var reader = new StreamReader(meanwhile.GetStream(), Encoding.ASCII);
        var meanwhileStatus = await reader.ReadLineAsync().WaitAsync(TestTimeouts.Container);
        var servedBefore = answers.Count;
        await WaitForAnswersAsync(answers, servedBefore + 20);
        await stopPolling.CancelAsync();
        await polling;

        List<Answer> all;
        lock (answers)
        {
            all = [.. answers];
        }

        Assert.Multiple(() =>
        {
            Assert.That(all.Where(a => a.Status != "200").Select(a => a.Status), Is.Empty, "every request was served, none refused or reset");
            Assert.That(meanwhileStatus, Is.EqualTo("HTTP/1.1 200 OK"), "a request sent while no process ran waited in the socket's queue and was served");
            Assert.That(node.Output, Does.Not.Contain("address already in use"));
        });
    }

    private sealed record Answer(string Status);

    /// <summary>Starts the role with the socket passed down: only the launcher inherits it (close-on-exec is off only meanwhile).</summary>
    private static async Task StartPassingAsync(GradientNodeProcess node, int descriptor)
    {
        Assert.That(Fcntl(descriptor, 2, 0), Is.Zero, "F_SETFD 0: the launcher inherits the socket");
        try
        {
            await node.StartAsync(extraArgs: []);
        }
        finally
        {
            _ = Fcntl(descriptor, 2, 1); // FD_CLOEXEC again: the CLI and docker processes the test starts do not get it
        }
    }

    /// <summary>One request per connection (<c>Connection: close</c>), one after another, until cancelled.</summary>
    private static async Task PollAsync(int port, List<Answer> answers, CancellationToken cancellationToken)
    {
        var request = Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: web.localhost:{port}\r\nConnection: close\r\n\r\n");
        while (!cancellationToken.IsCancellationRequested)
        {
            string status;
            try
            {
                using var client = new TcpClient();
                using var timeout = new CancellationTokenSource(TestTimeouts.Container);
                await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
                var stream = client.GetStream();
                await stream.WriteAsync(request, timeout.Token);
                using var reader = new StreamReader(stream, Encoding.ASCII);
                var line = await reader.ReadLineAsync(timeout.Token) ?? "(closed before an answer)";
                status = line.Split(' ') is [_, var code, ..] ? code : line;
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
            {
                status = $"{ex.GetType().Name}: {ex.Message}";
            }

            lock (answers)
            {
                answers.Add(new Answer(status));
            }

            await TestTimeouts.HoldAsync("the pace of the request loop", TimeSpan.FromMilliseconds(20), CancellationToken.None);
        }
    }

    private static Task WaitForAnswersAsync(List<Answer> answers, int count) =>
        TestTimeouts.WaitUntilAsync(
            () =>
            {
                lock (answers)
                {
                    return Task.FromResult(answers.Count >= count);
                }
            },
            TestTimeouts.Container,
            () => $"{count} answers from the proxy");

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int descriptor, int command, int argument);
}
