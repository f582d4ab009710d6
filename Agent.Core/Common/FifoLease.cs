namespace GradientNode.Core.Common;

/// <summary>A slot of a <see cref="FifoLimiter"/>; disposing it (once or more) releases the slot once.</summary>
internal sealed class FifoLease(FifoLimiter limiter) : IDisposable
{
    private int _released;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            limiter.Release();
        }
    }
}
