using System.Text;

namespace GradientNode.Daemon.Api;

/// <summary>Reads a request body as UTF-8 text, stopping at a limit on the bytes actually read (not on Content-Length).</summary>
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

        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false)
            .GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
