using GradientNode.Core.Common;

namespace GradientNode.Daemon.Api;

/// <summary>Reads a request body as UTF-8 text (<see cref="Utf8Text.Decode"/>), stopping at a limit on the bytes actually read (not on Content-Length).</summary>
internal static class BoundedBody
{
    /// <summary>The body's text, or null when it holds more than <paramref name="maxBytes"/> bytes.</summary>
    public static async Task<string?> ReadTextAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
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

        // Bytes that are not UTF-8 stay visible (Utf8Text): the spec parsers refuse them at their line and column.
        return Utf8Text.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }
}
