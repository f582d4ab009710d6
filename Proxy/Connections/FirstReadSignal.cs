using System.IO.Pipelines;

namespace GradientNode.Proxy.Connections;

/// <summary>
/// A connection's input as HTTP reads it, calling <c>onFirstBytes</c> once HTTP has looked at its first bytes. After
/// that every call is the inner reader's own (no state machine of ours per read): it sits on every request's path.
/// </summary>
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

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) =>
        _signalled ? inner.ReadAsync(cancellationToken) : FirstReadAsync(cancellationToken);

    public override void AdvanceTo(SequencePosition consumed)
    {
        inner.AdvanceTo(consumed);
        if (!_signalled)
        {
            Signal();
        }
    }

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        inner.AdvanceTo(consumed, examined);
        if (!_signalled)
        {
            Signal();
        }
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    private async ValueTask<ReadResult> FirstReadAsync(CancellationToken cancellationToken)
    {
        var result = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
        _sawBytes |= !result.Buffer.IsEmpty;
        return result;
    }

    /// <summary>After the parser advanced past what it read: by then HTTP counts its request as begun.</summary>
    private void Signal()
    {
        if (_sawBytes)
        {
            _signalled = true;
            onFirstBytes();
        }
    }
}
