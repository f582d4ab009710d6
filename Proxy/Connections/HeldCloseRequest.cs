using Microsoft.AspNetCore.Connections.Features;

namespace GradientNode.Proxy.Connections;

/// <summary>
/// The close request HTTP sees for one connection (<see cref="FirstRequestWait"/>): Kestrel's own, passed on at once
/// once the connection's first bytes were read, else held until they are or <c>grace</c> has passed since the stop began.
/// The grace's timer is made only by a stop that finds the connection still without its first bytes: a connection that
/// opens and closes with no stop makes none (before, every accepted connection made one). The token HTTP registers on
/// (its source) and the registration on Kestrel's stay per connection: HTTP registers on this feature's token once, when
/// the connection starts, and Kestrel tells a connection of the stop only by cancelling that connection's own token.
/// </summary>
internal sealed class HeldCloseRequest : IConnectionLifetimeNotificationFeature, IDisposable
{
    private readonly IConnectionLifetimeNotificationFeature _inner;
    private readonly TimeProvider _time;
    private readonly TimeSpan _graceTime;
    private readonly CancellationTokenSource _seen = new();
    private readonly CancellationTokenRegistration _registration;
    private ITimer? _grace;
    private int _firstRead;
    private int _stopping;

    public HeldCloseRequest(IConnectionLifetimeNotificationFeature inner, TimeProvider time, TimeSpan grace)
    {
        _inner = inner;
        _time = time;
        _graceTime = grace;
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
        // Both sides write their flag with a full fence before they read the other's (Interlocked), so that a stop and the
        // first bytes at the same moment never both miss each other (which would hold the close request for the grace).
        if (Interlocked.Exchange(ref _firstRead, 1) == 0 && Volatile.Read(ref _stopping) == 1)
        {
            Pass();
        }
    }

    /// <summary>
    /// Ends the connection's part: the registration first, whose disposal waits for a stop callback under way (so the
    /// stop has made its timer by then, or never runs), then that timer, if any.
    /// </summary>
    public void Dispose()
    {
        _registration.Dispose();
        Interlocked.Exchange(ref _grace, null)?.Dispose();
        _seen.Dispose();
    }

    private void OnStop()
    {
        Interlocked.Exchange(ref _stopping, 1);
        if (Volatile.Read(ref _firstRead) == 1)
        {
            Pass();
            return;
        }

        // Made armed: a timer made and then armed could be disposed in between. It may pass after the first bytes did:
        // cancelling a cancelled source does nothing.
        Volatile.Write(ref _grace, _time.CreateTimer(static state => ((HeldCloseRequest)state!).Pass(), this, _graceTime, Timeout.InfiniteTimeSpan));
    }

    private void Pass()
    {
        try
        {
            _seen.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection ended meanwhile (the grace's timer fired as it was disposed).
        }
    }
}
