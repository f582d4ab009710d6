namespace GradientNode.Proxy.Forwarding;

/// <summary>
/// One upstream connection pool per socket engine thread, each connection registered with that thread's engine
/// (<see cref="EngineConnector"/>): a request read on engine thread k is forwarded over a connection whose response is
/// read on thread k too, so that the request does not hand its response to the other thread and wake it. Requests that
/// run on any other thread (held ones, HTTP/2 streams, the thread pool without inline completions) use the shared pool.
/// Measured: docs/benchmarks.md, "Over TLS, round 28".
/// </summary>
internal sealed class EngineAffineHandler : HttpMessageHandler
{
    private readonly HttpMessageInvoker _shared;
    private readonly Func<int, HttpMessageHandler> _createForSlot;
    private readonly Func<int> _currentSlot;
    private readonly HttpMessageInvoker?[] _bySlot;
    private readonly Lock _gate = new();

    /// <param name="shared">The pool for requests on other threads; disposed with this.</param>
    /// <param name="createForSlot">Makes slot k's handler, whose connections land on engine thread k.</param>
    /// <param name="currentSlot">The calling thread's slot, or -1 (<see cref="EngineThreads.CurrentSlot"/>).</param>
    /// <param name="slots">How many slots there are.</param>
    public EngineAffineHandler(HttpMessageHandler shared, Func<int, HttpMessageHandler> createForSlot, Func<int> currentSlot, int slots)
    {
        _shared = new HttpMessageInvoker(shared, disposeHandler: true);
        _createForSlot = createForSlot;
        _currentSlot = currentSlot;
        _bySlot = new HttpMessageInvoker?[slots];
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var slot = _currentSlot();
        var invoker = (uint)slot < (uint)_bySlot.Length ? Volatile.Read(ref _bySlot[slot]) ?? Create(slot) : _shared;
        return invoker.SendAsync(request, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _shared.Dispose();
            lock (_gate)
            {
                foreach (var invoker in _bySlot)
                {
                    invoker?.Dispose();
                }
            }
        }

        base.Dispose(disposing);
    }

    private HttpMessageInvoker Create(int slot)
    {
        lock (_gate)
        {
            if (_bySlot[slot] is { } made)
            {
                return made;
            }

            var invoker = new HttpMessageInvoker(_createForSlot(slot), disposeHandler: true);
            Volatile.Write(ref _bySlot[slot], invoker);
            return invoker;
        }
    }
}
