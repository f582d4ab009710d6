using System.Text;

namespace GradientNode.Core.Engine;

/// <summary>
/// Cuts one log stream's bytes into lines, keeping a partial line across frames/reads. Bytes are kept
/// until a '\n' so a UTF-8 character split across frames decodes whole ('\n' never occurs inside one).
/// </summary>
internal sealed class LogLineSplitter(LogStream stream, bool timestamps)
{
    /// <summary>A line longer than this without a newline is emitted in pieces rather than buffered forever.</summary>
    internal const int MaxLineBytes = 1024 * 1024;

    private readonly MemoryStream _pending = new();

    public List<LogLine> Push(ReadOnlySpan<byte> data)
    {
        var lines = new List<LogLine>();
        while (!data.IsEmpty)
        {
            var newline = data.IndexOf((byte)'\n');
            if (newline < 0)
            {
                _pending.Write(data);
                if (_pending.Length >= MaxLineBytes)
                {
                    lines.Add(TakePending());
                }

                break;
            }

            _pending.Write(data[..newline]);
            lines.Add(TakePending());
            data = data[(newline + 1)..];
        }

        return lines;
    }

    /// <summary>The last, unterminated line at end of stream, if any.</summary>
    public LogLine? Flush() => _pending.Length > 0 ? TakePending() : null;

    private LogLine TakePending()
    {
        var text = Encoding.UTF8.GetString(_pending.GetBuffer(), 0, (int)_pending.Length);
        _pending.SetLength(0);
        if (text.EndsWith('\r'))
        {
            text = text[..^1];
        }

        if (timestamps)
        {
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            var prefix = space < 0 ? text : text[..space];
            if (DockerTimestamps.Parse(prefix) is { } time)
            {
                return new LogLine(stream, space < 0 ? string.Empty : text[(space + 1)..], time);
            }
        }

        return new LogLine(stream, text, null);
    }
}
