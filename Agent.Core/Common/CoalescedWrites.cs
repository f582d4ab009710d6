namespace GradientNode.Core.Common;

/// <summary>
/// Runs a state file's write off the caller's path, at most once per interval: a change asks for a write
/// (<see cref="Request"/>), which runs <see cref="Interval"/> after the first change not yet written, with every change
/// made until then (the write callback reads the state as it is when it runs), one write at a time; <see cref="Flush"/>
/// (the daemon's stop) writes at once and waits. A crash loses at most the last interval's changes. Used by
/// <c>ReplicaJournal</c>'s and <c>SlotCounters</c>' files. The callback handles its own I/O errors; one it lets through is dropped here.
/// </summary>
public sealed class CoalescedWrites : IDisposable
{
    private readonly Action _write;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private Task _writing = Task.CompletedTask;
    private bool _dirty;
    private long _dirtySince;
    private TaskCompletionSource _hurry = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CoalescedWrites(Action write, TimeSpan interval, TimeProvider? time = null)
    {
        _write = write;
        Interval = interval;
        _time = time ?? TimeProvider.System;
    }

    public TimeSpan Interval { get; }

    /// <summary>Asks for a write: returns at once.</summary>
    public void Request()
    {
        lock (_gate)
        {
            if (!_dirty)
            {
                _dirty = true;
                _dirtySince = _time.GetTimestamp();
            }

            if (_writing.IsCompleted)
            {
                _writing = Task.Run(WritePendingAsync);
            }
        }
    }

    /// <summary>Writes now what is pending and waits until every change asked for so far is written.</summary>
    public void Flush()
    {
        Task writing;
        lock (_gate)
        {
            writing = _writing;
            _hurry.TrySetResult();
        }

        writing.GetAwaiter().GetResult();
    }

    /// <summary>Writes what is still pending (the daemon's stop).</summary>
    public void Dispose() => Flush();

    private async Task WritePendingAsync()
    {
        while (true)
        {
            Task hurry;
            TimeSpan wait;
            lock (_gate)
            {
                if (!_dirty)
                {
                    // Under the lock: a change asked for after this finds the task completed and starts another.
                    _writing = Task.CompletedTask;
                    return;
                }

                hurry = _hurry.Task;
                wait = Interval - _time.GetElapsedTime(_dirtySince);
            }

            if (wait > TimeSpan.Zero && !hurry.IsCompleted)
            {
                // The monotonic clock: a wall clock set back an hour does not hold the write an hour.
                await Task.WhenAny(Task.Delay(wait, _time), hurry).ConfigureAwait(false);
            }

            lock (_gate)
            {
                _dirty = false;
                if (_hurry.Task.IsCompleted)
                {
                    _hurry = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }

            try
            {
                _write();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The callback reports its own failures; the next change asks again.
            }
        }
    }
}
