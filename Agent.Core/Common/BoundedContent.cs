namespace GradientNode.Core.Common;

/// <summary>
/// Reads an HTTP answer into memory from a server a caller chose (an LFS server a spec's repository names, a registry's
/// token service) without holding more than <c>maxBytes</c>: a longer answer stops the read and fails, so an endless
/// or huge body cannot make the root daemon allocate what it sends. The request must have been sent so that the body
/// is not buffered before this reads it (<see cref="HttpMessageInvoker"/>, or <see cref="HttpCompletionOption.ResponseHeadersRead"/>).
/// </summary>
public static class BoundedContent
{
    public static async Task<byte[]> ReadAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Headers.ContentLength > maxBytes)
        {
            throw new InvalidDataException($"the answer is larger than {maxBytes} bytes");
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var bytes = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (bytes.Length + read > maxBytes)
                {
                    throw new InvalidDataException($"the answer is larger than {maxBytes} bytes");
                }

                bytes.Write(chunk, 0, read);
            }

            return bytes.ToArray();
        }
    }
}
