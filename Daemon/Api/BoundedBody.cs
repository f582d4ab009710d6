using GradientNode.Core.Common;

namespace GradientNode.Daemon.Api;

/// <summary>Reads a request body, stopping at a limit on the bytes actually read (not on Content-Length).</summary>
internal static class BoundedBody
{
    /// <summary>The body's bytes, or null when it holds more than <paramref name="maxBytes"/> bytes.</summary>
    public static async Task<byte[]?> ReadBytesAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>The body's text (<see cref="Utf8Text.Decode"/>), or null when it holds more than <paramref name="maxBytes"/> bytes.</summary>
    public static async Task<string?> ReadTextAsync(Stream body, int maxBytes, CancellationToken cancellationToken) =>
        // Bytes that are not UTF-8 stay visible (Utf8Text): the spec parsers refuse them at their line and column.
        await ReadBytesAsync(body, maxBytes, cancellationToken) is { } bytes ? Utf8Text.Decode(bytes) : null;
}
