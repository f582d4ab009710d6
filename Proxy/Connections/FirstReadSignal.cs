using System.IO.Pipelines;

namespace GradientNode.Proxy.Connections;

/// <summary>A connection's input as HTTP reads it, calling <c>onFirstBytes</c> once HTTP has looked at its first bytes.</summary>
internal sealed class FirstReadSignal(PipeReader inner, Action onFirstBytes) : PipeReader
{
    private bool _sawBytes;
    private bool _signalled;

    public override bool TryRead(out ReadResult result)
    {
        var read = inner.TryRead(out result);
        _sawBytes |= read && !result.Buffer.IsEmpty;
        return read;
    }

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var result = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
        _sawBytes |= !result.Buffer.IsEmpty;
        return result;
    }

    public override void AdvanceTo(SequencePosition consumed)
    {
        inner.AdvanceTo(consumed);
        Signal();
    }

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        inner.AdvanceTo(consumed, examined);
        Signal();
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    /// <summary>After the parser advanced past what it read: by then HTTP counts its request as begun.</summary>
    private void Signal()
    {
        if (_sawBytes && !_signalled)
        {
            _signalled = true;
            onFirstBytes();
        }
    }
}
