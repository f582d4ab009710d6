using System.Text;

namespace GradientNode.Daemon.Cli.Terminal;

/// <summary>
/// A <see cref="TextWriter"/> that passes what it is given through a <see cref="TerminalFilter"/> on its way to
/// <paramref name="inner"/>: the CLI's tables, messages and errors (<see cref="Fields"/>) and, on a terminal, a workflow
/// run's log (<see cref="Logs"/>). Nothing is held back but an unfinished SGR sequence in a log, which the next write or
/// <see cref="Flush"/> settles, so lines reach the terminal in order with what other writers print to it.
/// </summary>
internal sealed class TerminalSafeWriter(TextWriter inner, TerminalFilter filter) : TextWriter
{
    private readonly StringBuilder _out = new();

    public override Encoding Encoding => inner.Encoding;

    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string NewLine
    {
        get => inner.NewLine;
        set => inner.NewLine = value;
    }

    /// <summary>For the CLI's own output of text it was given (tables, messages, errors): control characters shown as text.</summary>
    public static TextWriter Fields(TextWriter inner) => new TerminalSafeWriter(inner, TerminalFilter.ForFields());

    /// <summary>For a log shown on a terminal: <c>\r</c> and SGR colours kept, every other control shown as text.</summary>
    public static TextWriter Logs(TextWriter inner) => new TerminalSafeWriter(inner, TerminalFilter.ForLogs());

    public override void Write(char value) => Write([value]);

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(ReadOnlySpan<char> buffer)
    {
        lock (_out)
        {
            filter.Feed(buffer, _out);
            Drain();
        }
    }

    public override void WriteLine(string? value) => Write(string.Concat(value, inner.NewLine).AsSpan());

    public override void WriteLine(ReadOnlySpan<char> buffer) => Write(string.Concat(buffer, inner.NewLine).AsSpan());

    public override void WriteLine() => Write(inner.NewLine.AsSpan());

    public override Task WriteAsync(char value) => Done(() => Write(value));

    public override Task WriteAsync(string? value) => Done(() => Write(value));

    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) => Done(() => Write(buffer.Span));

    public override Task WriteLineAsync(string? value) => Done(() => WriteLine(value));

    public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) => Done(() => WriteLine(buffer.Span));

    public override Task WriteLineAsync() => Done(WriteLine);

    public override void Flush()
    {
        lock (_out)
        {
            filter.Finish(_out);
            Drain();
        }

        inner.Flush();
    }

    public override Task FlushAsync() => Done(Flush);

    public override Task FlushAsync(CancellationToken cancellationToken) => Done(Flush);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
        }

        base.Dispose(disposing);
    }

    private static Task Done(Action write)
    {
        write();
        return Task.CompletedTask;
    }

    private void Drain()
    {
        if (_out.Length > 0)
        {
            inner.Write(_out.ToString());
            _out.Clear();
        }
    }
}
