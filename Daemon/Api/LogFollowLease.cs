namespace GradientNode.Daemon.Api;

/// <summary>One followed container log's place under <see cref="LogFollowLimit"/>, held by one caller; disposing it gives the place back (once).</summary>
internal sealed class LogFollowLease(LogFollowLimit limit, uint holder, bool member) : IDisposable
{
    private int _released;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            limit.Release(holder, member);
        }
    }
}
