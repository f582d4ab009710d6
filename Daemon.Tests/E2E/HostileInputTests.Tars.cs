using System.Formats.Tar;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Integrations;
using NUnit.Framework;

namespace GradientNode.Tests.E2E;

/// <summary>Hostile tar uploads on the published binary's socket: refused at the header, answered 400, nothing logged.</summary>
internal sealed partial class HostileInputTests
{
    [TestCase("v1/models/bomb", 'L')]
    [TestCase("v1/datasets/bomb/versions", 'x')]
    public async Task Upload_TarHeaderDeclaringAGibibyteOfMetadata_400NamingTheLimitBeforeTheRestIsSent(string route, char type)
    {
        // Before: the root daemon allocated the declared size and waited for all of it (then held it as strings several
        // times over); the upload stalled here until Kestrel's minimum data rate answered 408.
        if (route.StartsWith("v1/datasets", StringComparison.Ordinal))
        {
            using var http = _node.SocketClient();
            using var created = await http.PostAsync("v1/datasets", new StringContent("{\"name\": \"bomb\"}", Encoding.UTF8, "application/json"));
            Assert.That((int)created.StatusCode, Is.EqualTo(201), await created.Content.ReadAsStringAsync());
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_node.Socket));
        await using var stream = new NetworkStream(socket);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /{route} HTTP/1.1\r\nHost: gradient-node\r\nContent-Type: application/x-tar\r\nTransfer-Encoding: chunked\r\n\r\n"));
        byte[] start = [.. TarMetadataGuardTests.Header("././@LongLink", type, 1L << 30), .. new byte[2 << 20]];
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{start.Length:x}\r\n"));
        await stream.WriteAsync(start);
        await stream.WriteAsync("\r\n"u8.ToArray());

        // The body never ends: only an answer given at the header ends the wait.
        using var timeout = new CancellationTokenSource(TestTimeouts.Request);
        var answer = await ReadAnswerAsync(stream, timeout.Token);

        Assert.That(answer, Does.StartWith("HTTP/1.1 400 "));
        Assert.That(answer, Does.Contain($"a \\u0027{type}\\u0027 metadata entry declares 1073741824 bytes, over the node\\u0027s limit of 1048576 bytes"));
        Assert.That(_node.Output, Does.Not.Contain("An unhandled exception has occurred"));
        Assert.That(await _node.ApiGetAsync("v1/health"), Does.Contain("ok").IgnoreCase);
    }

    [Test]
    public async Task ModelsAdd_FileNameLongerThanTheFileSystemTakes_400NamingItNothingLogged()
    {
        // Before: PathTooLongException, a 500 naming the store's partial folder and a stack in the log per upload.
        using var http = _node.SocketClient();
        using var withLongName = new MemoryStream();
        await using (var writer = new TarWriter(withLongName, TarEntryFormat.Pax, leaveOpen: true))
        {
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, new string('n', 300)) { DataStream = new MemoryStream("weights"u8.ToArray()) });
        }

        using var content = new ByteArrayContent(withLongName.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "application/x-tar");

        using var response = await http.PostAsync("v1/models/long", content);

        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(400), text);
        Assert.That(text, Does.Contain("longer than 255 bytes").And.Not.Contain(_node.StateDir));
        Assert.That(_node.Output, Does.Not.Contain("An unhandled exception has occurred"));
    }

    /// <summary>One HTTP/1.1 answer with a <c>Content-Length</c>, read while the request's body is still open.</summary>
    private static async Task<string> ReadAnswerAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var answer = new StringBuilder();
        var buffer = new byte[4096];
        while (true)
        {
            var text = answer.ToString();
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var length = Regex.Match(text, @"(?im)^Content-Length: *(\d+)\r$");
            if (end >= 0 && length.Success && Encoding.UTF8.GetByteCount(text[(end + 4)..]) >= int.Parse(length.Groups[1].Value, CultureInfo.InvariantCulture))
            {
                return text;
            }

            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return text;
            }

            answer.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
    }
}
