using System.Buffers;
using System.Globalization;
using System.Text;
using GradientNode.Core.Common;
using GradientNode.Core.Workflows.Runs;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>
/// Reads a string output a job left at <c>/outputs/NAME</c> (host side: the job's outputs folder). Only a regular file
/// is read: the daemon reads it as root on the host, so a symbolic link (which would name a host path such as
/// <c>/etc/shadow</c>, not the container's) is refused unfollowed, and a fifo, device or socket, which could block
/// the read forever, is refused unopened. At most <see cref="RunLimits.StringOutputBytes"/> bytes of UTF-8 text (the
/// product's "small-ish utf-8 encoded string"): other bytes would reach the next job as U+FFFD, not as written.
/// </summary>
public static class StringOutputFile
{
    /// <summary>The string, or the problem that fails the job (naming the output and the path as the job sees it).</summary>
    public static async Task<(string? Value, string? Problem)> ReadAsync(string outputsDir, string name, CancellationToken cancellationToken)
    {
        var path = Path.Combine(outputsDir, name);
        var shown = $"string output '{name}'";
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            return (null, $"{shown}: /outputs/{name} is a symbolic link, which is not followed; write the string into the file itself");
        }

        if (Directory.Exists(path))
        {
            return (null, $"{shown}: /outputs/{name} is a folder; write the string into a file of that name (or use a volume or dataset output)");
        }

        if (!info.Exists)
        {
            return (null, $"{shown}: the job did not write the file /outputs/{name}");
        }

        if (!FileKind.IsRegular(path))
        {
            return (null, $"{shown}: /outputs/{name} is not a regular file (a fifo, device or socket); write the string into a plain file");
        }

        var buffer = new byte[RunLimits.StringOutputBytes + 1];
        var length = 0;
        await using (var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Options = FileOptions.Asynchronous }))
        {
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }
        }

        if (length > RunLimits.StringOutputBytes)
        {
            return (null, $"{shown} is {Math.Max(info.Length, length)} bytes, more than the {RunLimits.StringOutputBytes}-byte cap (write larger results to a dataset or volume output)");
        }

        return FirstInvalidByte(buffer.AsSpan(0, length)) is { } offset
            ? (null, $"{shown}: /outputs/{name} is not UTF-8 text: byte 0x{buffer[offset].ToString("X2", CultureInfo.InvariantCulture)} at offset {offset} (write binary data to a dataset or volume output)")
            : (Encoding.UTF8.GetString(buffer, 0, length), null);
    }

    /// <summary>Where the first byte that does not begin valid UTF-8 is, or null when all of it is valid.</summary>
    private static int? FirstInvalidByte(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return null;
    }
}
