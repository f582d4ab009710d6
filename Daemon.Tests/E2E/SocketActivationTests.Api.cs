using System.Globalization;
using System.Net.Sockets;
using System.Text;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>The API socket held by systemd (<c>gradient-node.socket</c>): a CLI call made while the daemon restarts waits and is answered.</summary>
internal sealed partial class SocketActivationTests
{
    [Test]
    public async Task Up_RestartedWhileSystemdHoldsItsApiSocket_ARequestSentWhileNoProcessRanIsAnswered()
    {
        // Before: the daemon always bound its socket anew, so between the stop and the new process's bind a CLI call
        // failed with "no such file" or "connection refused" (apply during an upgrade of the package).
        await using var node = GradientNodeProcess.Prepare();
        Directory.CreateDirectory(node.RunDir);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(node.Socket));
        listener.Listen(64);
        var descriptor = (int)listener.SafeHandle.DangerousGetHandle();
        node.Launcher = ["perl", "-MPOSIX", "-e", PassAsDescriptorThree, descriptor.ToString(CultureInfo.InvariantCulture)];
        await StartPassingAsync(node, descriptor);
        Assert.That(node.Output, Does.Contain($"the API socket {node.Socket} is the one systemd holds"));
        var first = await node.CliAsync("node", "-o", "json");
        Assert.That(first.ExitCode, Is.Zero, first.ToString());

        await node.StopAsync();
        var fileKept = File.Exists(node.Socket);
        using var waiting = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await waiting.ConnectAsync(new UnixDomainSocketEndPoint(node.Socket));
        await waiting.SendAsync(Encoding.ASCII.GetBytes("GET /v1/node HTTP/1.1\r\nHost: gradient-node\r\nConnection: close\r\n\r\n"));
        await StartPassingAsync(node, descriptor);
        using var reader = new StreamReader(new NetworkStream(waiting, ownsSocket: false), Encoding.ASCII);
        var status = await reader.ReadLineAsync().WaitAsync(TestTimeouts.Container);
        var after = await node.CliAsync("ls");

        Assert.Multiple(() =>
        {
            Assert.That(fileKept, Is.True, "the socket file is systemd's: the daemon's stop leaves it");
            Assert.That(status, Is.EqualTo("HTTP/1.1 200 OK"), "the request sent while no process ran waited in the socket's queue and was answered");
            Assert.That(after.ExitCode, Is.Zero, after.ToString());
            Assert.That(node.Output, Does.Not.Contain("already serving").And.Not.Contain("address already in use"));
        });
    }
}
