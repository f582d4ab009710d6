using System.Text;

namespace GradientNode.Core.Common;

/// <summary>
/// Reads a text file a caller may have made huge (a spec in the specs dir, a file given to <c>validate</c>, node.yaml)
/// without holding more than <paramref name="maxChars"/> + 1 characters: one more than the limit is enough for the
/// parser's size check (<c>YamlGuard</c>) to refuse it, and the rest is never read.
/// </summary>
public static class BoundedText
{
    public static async Task<string> ReadAsync(string path, int maxChars, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var buffer = new char[Math.Min(maxChars + 1, 64 * 1024)];
        var text = new StringBuilder();
        int read;
        while (text.Length <= maxChars && (read = await reader.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, maxChars + 1 - text.Length)), cancellationToken).ConfigureAwait(false)) > 0)
        {
            text.Append(buffer, 0, read);
        }

        return text.ToString();
    }

    public static string Read(string path, int maxChars) => ReadAsync(path, maxChars, CancellationToken.None).GetAwaiter().GetResult();
}
