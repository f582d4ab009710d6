using Microsoft.AspNetCore.Connections.Features;

namespace GradientNode.Proxy.Connections;

/// <summary>
/// The close request HTTP sees for one connection (<see cref="FirstRequestWait"/>): Kestrel's own, passed on at once
/// once the connection's first bytes were read, else held until they are or <c>grace</c> has passed since the stop began.
/// </summary>
internal sealed class HeldCloseRequest : IConnectionLifetimeNotificationFeature, IDisposable
{
    private readonly IConnectionLifetimeNotificationFeature _inner;
    private readonly CancellationTokenSource _seen = new();
    private readonly CancellationTokenRegistration _registration;
    private readonly ITimer _grace;
    private readonly TimeSpan _graceTime;
    private int _firstRead;
    private int _stopping;

    public HeldCloseRequest(IConnectionLifetimeNotificationFeature inner, TimeProvider time, TimeSpan grace)
    {
        _inner = inner;
        _graceTime = grace;
        _grace = time.CreateTimer(_ => Pass(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _registration = inner.ConnectionClosedRequested.UnsafeRegister(static state => ((HeldCloseRequest)state!).OnStop(), this);
    }

    /// <summary>What HTTP registers on: cancelled when Kestrel's own is and the first request's bytes were read (or the grace ran out).</summary>
    public CancellationToken ConnectionClosedRequested
    {
        get => _seen.Token;
        set => _inner.ConnectionClosedRequested = value;
    }

    public void RequestClose() => _inner.RequestClose();

    /// <summary>HTTP read the connection's first bytes (its first request has begun): a close request now ends it after that request.</summary>
    public void FirstBytesRead()
    {
        if (Interlocked.Exchange(ref _firstRead, 1) == 0 && Volatile.Read(ref _stopping) == 1)
        {
            Pass();
        }
    }

    public void Dispose()
    {
        _registration.Dispose();
        _grace.Dispose();
        _seen.Dispose();
    }

    private void OnStop()
    {
        Volatile.Write(ref _stopping, 1);
        if (Volatile.Read(ref _firstRead) == 1)
        {
            Pass();
        }
        else
        {
            _grace.Change(_graceTime, Timeout.InfiniteTimeSpan);
        }
    }

    private void Pass()
    {
        try
        {
            _seen.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection ended meanwhile.
        }
    }
}
