namespace GradientNode.Proxy.Metrics;

/// <summary>
/// Wakes the <see cref="TrafficFileWriter"/> at rest on the first request (issue 20: an idle proxy writes nothing).
/// The writer <see cref="Arm"/>s before it takes a snapshot; a request <see cref="Raise"/>s after it counted itself, so
/// a request is either in the snapshot or completes the armed task (both sides fence). The request path pays one
/// volatile read while nothing is armed, one exchange for the first request after the writer armed.
/// </summary>
internal sealed class ActivitySignal
{
    private TaskCompletionSource? _armed;

    /// <summary>A task the next <see cref="Raise"/> completes (a previous armed task is completed now).</summary>
    public Task Arm()
    {
        var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _armed, next)?.TrySetResult();
        return next.Task;
    }

    /// <summary>Stops watching (the writer is awake and ticking): requests go back to one volatile read.</summary>
    public void Disarm() => Interlocked.Exchange(ref _armed, null)?.TrySetResult();

    public void Raise()
    {
        if (Volatile.Read(ref _armed) is not null)
        {
            Interlocked.Exchange(ref _armed, null)?.TrySetResult();
        }
    }
}
