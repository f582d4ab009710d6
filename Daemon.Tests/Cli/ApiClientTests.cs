using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class ApiClientTests
{
    [Test]
    public void SendAsync_SocketFileAbsent_UnreachableSaysThereIsNoSocketFile()
    {
        var dir = Directory.CreateTempSubdirectory("gn-apiclient-").FullName;
        try
        {
            var socket = Path.Combine(dir, "gradient.sock");
            using var api = new ApiClient(socket);

            var ex = Assert.ThrowsAsync<DaemonUnreachableException>(() => api.SendAsync(HttpMethod.Get, "v1/node", null, CancellationToken.None));

            // Before: "Cannot assign requested address", .NET's reading of ENOENT on a unix socket.
            Assert.That(ex!.Message, Does.StartWith($"cannot reach gradient-node at {socket}: no socket file there. Is the daemon running"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
