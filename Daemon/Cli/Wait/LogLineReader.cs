using System.Text;

namespace GradientNode.Daemon.Cli.Wait;

/// <summary>
/// Reads a log stream line by line, a line ending at <c>\n</c> only. <see cref="TextReader.ReadLine"/> also ends one at a
/// lone <c>\r</c>, so a training progress bar (<c>10%\r20%\r…</c>) came out as one line per step, the steps after the
/// first without their timestamp or tag; here the <c>\r</c> stays in its line and the terminal draws the bar in place.
/// A line that completes from what is already buffered is returned synchronously, so a caller can tell that no further
/// line is waiting (and flush) by the task not being completed.
/// </summary>
internal sealed class LogLineReader(TextReader reader)
{
    private readonly char[] _buffer = new char[8192];
    private readonly StringBuilder _line = new();
    private int _at;
    private int _end;

    /// <summary>The next line without its <c>\n</c>; null at the end of the stream (a last line without <c>\n</c> is returned first).</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, '\n', _at, _end - _at);
            if (newline >= 0)
            {
                _line.Append(_buffer, _at, newline - _at);
                _at = newline + 1;
                var line = _line.ToString();
                _line.Clear();
                return line;
            }

            _line.Append(_buffer, _at, _end - _at);
            _at = _end = 0;
            var read = await reader.ReadAsync(_buffer.AsMemory(), cancellationToken);
            if (read == 0)
            {
                if (_line.Length == 0)
                {
                    return null;
                }

                var last = _line.ToString();
                _line.Clear();
                return last;
            }

            _end = read;
        }
    }
}
