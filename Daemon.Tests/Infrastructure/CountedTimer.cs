namespace GradientNode.Tests.Infrastructure;

/// <summary>A timer of <see cref="TimerCountingTimeProvider"/>: calls <paramref name="disposed"/> once when disposed.</summary>
internal sealed class CountedTimer(ITimer inner, Action disposed) : ITimer
{
    private int _disposed;

    public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            disposed();
        }

        inner.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
