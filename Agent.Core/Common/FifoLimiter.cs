namespace GradientNode.Core.Common;

/// <summary>
/// At most <see cref="Limit"/> holders at once; the others wait in arrival order (first come, first served: a slot that is
/// released goes to the oldest waiter, never to a newcomer). A waiter whose token is cancelled leaves the queue and
/// throws <see cref="OperationCanceledException"/>; a slot already handed to it is kept, and released by its lease.
/// </summary>
public sealed class FifoLimiter
{
    private readonly Lock _gate = new();
    private readonly LinkedList<TaskCompletionSource> _waiters = new();
    private int _held;

    public FifoLimiter(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        Limit = limit;
    }

    public int Limit { get; }

    /// <summary>Slots held now.</summary>
    public int Held
    {
        get
        {
            lock (_gate)
            {
                return _held;
            }
        }
    }

    /// <summary>Callers waiting for a slot now.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>Waits for a slot; dispose the lease to release it.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        LinkedListNode<TaskCompletionSource> node;
        lock (_gate)
        {
            if (_held < Limit && _waiters.Count == 0)
            {
                _held++;
                return new FifoLease(this);
            }

            node = _waiters.AddLast(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        using (cancellationToken.Register(() => Abandon(node, cancellationToken)))
        {
            await node.Value.Task.ConfigureAwait(false);
        }

        return new FifoLease(this);
    }

    internal void Release()
    {
        TaskCompletionSource? next = null;
        lock (_gate)
        {
            if (_waiters.First is { } first)
            {
                // The slot passes to the oldest waiter as it is: the count of holders does not change.
                _waiters.RemoveFirst();
                next = first.Value;
            }
            else
            {
                _held--;
            }
        }

        next?.TrySetResult();
    }

    private void Abandon(LinkedListNode<TaskCompletionSource> node, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (node.List is null)
            {
                // Already handed a slot: the waiter gets it, and its lease gives it back.
                return;
            }

            _waiters.Remove(node);
        }

        node.Value.TrySetCanceled(cancellationToken);
    }
}
