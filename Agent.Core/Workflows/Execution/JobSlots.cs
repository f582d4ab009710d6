namespace GradientNode.Core.Workflows.Execution;

/// <summary>The node-wide job limit: a counter every run takes a slot from before a job starts.</summary>
public sealed class JobSlots(int limit)
{
    private int _used;

    /// <summary>A slot was given back: runs waiting for one look again.</summary>
    public event Action? Freed;

    public int Limit => limit;

    public int Used => Volatile.Read(ref _used);

    public bool TryTake()
    {
        while (true)
        {
            var used = Volatile.Read(ref _used);
            if (used >= limit)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _used, used + 1, used) == used)
            {
                return true;
            }
        }
    }

    /// <summary>Counts a job that is already running (adopted after a restart), even past the limit.</summary>
    public void TakeRunning() => Interlocked.Increment(ref _used);

    public void Release()
    {
        Interlocked.Decrement(ref _used);
        Freed?.Invoke();
    }
}
