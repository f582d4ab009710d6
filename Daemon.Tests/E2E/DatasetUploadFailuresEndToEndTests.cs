using System.Formats.Tar;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>
/// A <c>datasets upload</c> that fails (a body that is not a tar, a client that goes away halfway) leaves no staging
/// folder behind: before, the notes said one stayed until the next daemon start (a full disk did: see
/// <c>DatasetStoreTests.BeginWrite_DiskFull_*</c>).
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.Self)]
internal sealed class DatasetUploadFailuresEndToEndTests
{
    private GradientNodeProcess _node = null!;

    [SetUp]
    public async Task SetUp()
    {
        _node = await GradientNodeProcess.StartAsync();
        var create = await _node.CliAsync("datasets", "create", "images");
        Assert.That(create.ExitCode, Is.Zero, create.ToString());
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

    private string Staging => Path.Combine(_node.StateDir, "datasets", ".staging");

    private string[] StagingEntries() => Directory.Exists(Staging) ? Directory.GetFileSystemEntries(Staging) : [];

    [Test]
    public async Task Upload_BodyIsNotATar_400AndNoStagingFolderLeft()
    {
        using var api = _node.SocketClient();
        using var body = new ByteArrayContent(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("not a tar archive at all ", 100))));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");

        using var answer = await api.PostAsync("v1/datasets/images/versions", body);
        var text = await answer.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), text);
            Assert.That(text, Does.Contain("nothing was committed"));
            Assert.That(StagingEntries(), Is.Empty);
        });
    }

    [Test]
    public async Task Upload_ClientGoesAwayHalfway_StagingFolderRemovedWithoutARestart()
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_node.Socket));
        await using (var stream = new NetworkStream(socket, ownsSocket: false))
        {
            var head = "POST /v1/datasets/images/versions HTTP/1.1\r\nHost: gradient-node\r\nContent-Type: application/x-tar\r\nTransfer-Encoding: chunked\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));

            // A tar entry of 1 MiB of which only 64 KiB arrive: the node has begun the write when the client goes.
            var tar = new MemoryStream();
            await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
            {
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "weights.bin") { DataStream = new MemoryStream(new byte[1 << 20]) });
            }

            var part = tar.GetBuffer().AsMemory(0, 64 * 1024);
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"{part.Length:x}\r\n"));
            await stream.WriteAsync(part);
            await stream.WriteAsync("\r\n"u8.ToArray());
            await stream.FlushAsync();
            await TestTimeouts.WaitUntilAsync(() => StagingEntries().Length > 0, "the node to begin the write");
        }

        socket.Shutdown(SocketShutdown.Both);
        socket.Close();

        await TestTimeouts.WaitUntilAsync(() => StagingEntries().Length == 0, "the staging folder of the abandoned upload to be removed");
    }
}
