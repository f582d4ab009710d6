namespace GradientNode.Proxy.Routing;

/// <summary>
/// The snapshot the gateway uses, published once YARP has applied the matching config, and a change signal
/// that requests waiting for a ready replica await (one shared task per change, no polling).
/// </summary>
internal sealed class RouteState
{
    private readonly Lock _gate = new();
    private volatile RouteSnapshot _current;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RouteState(RouteSnapshot initial) => _current = initial;

    public RouteSnapshot Current => _current;

    /// <summary>Completes at the next <see cref="Publish"/>. Read it before re-checking <see cref="Current"/>.</summary>
    public Task Changed
    {
        get
        {
            lock (_gate)
            {
                return _changed.Task;
            }
        }
    }

    public void Publish(RouteSnapshot snapshot)
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            _current = snapshot;
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }
}
