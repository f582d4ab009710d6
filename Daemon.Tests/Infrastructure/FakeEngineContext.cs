using System.Text;

namespace GradientNode.Tests.Infrastructure;

/// <summary>One request to <see cref="FakeDockerEngine"/> and the connection to answer it on.</summary>
internal sealed class FakeEngineContext(string method, Uri url, IReadOnlyDictionary<string, string> headers, byte[] body, Stream connection)
{
    public string Method { get; } = method;

    /// <summary>The request target on <c>http://fake</c>: <c>AbsolutePath</c>, <c>Query</c>, <c>PathAndQuery</c>.</summary>
    public Uri Url { get; } = url;

    public IReadOnlyDictionary<string, string> Headers { get; } = headers;

    public string BodyText => Encoding.UTF8.GetString(body);

    /// <summary>
    /// Writes the whole response; the connection ends after it. A <paramref name="rawStream"/> answers as the engine
    /// does to an exec start that asks for an upgrade: <c>101 UPGRADED</c>, <c>Upgrade: tcp</c>, no length; the
    /// client then takes the connection over (hijacks it) and reads the multiplexed output until it closes.
    /// </summary>
    public async Task RespondAsync(int status, byte[] payload, string contentType, bool rawStream = false)
    {
        var head = rawStream
            ? $"HTTP/1.1 101 UPGRADED\r\nContent-Type: {contentType}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
            : $"HTTP/1.1 {status} Fake\r\nContent-Type: {contentType}\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n\r\n";
        await connection.WriteAsync(Encoding.ASCII.GetBytes(head));
        await connection.WriteAsync(payload);
        await connection.FlushAsync();
    }
}
