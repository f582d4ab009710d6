namespace GradientNode.Proxy.Forwarding;

/// <summary>
/// The runtime's socket engine threads (named <c>.NET Sockets</c>), numbered in the order this process first asks on
/// them. With inline completions (the proxy's unit) each one runs the continuations of the sockets registered with it:
/// a request read from a client connection runs on that connection's engine thread, and a response read from an
/// upstream connection on that one's (<see cref="EngineAffineHandler"/>).
/// </summary>
internal static class EngineThreads
{
    /// <summary>The most engine threads numbered: the runtime makes one per core when completions run inline.</summary>
    public static readonly int MaxSlots = Math.Max(1, Environment.ProcessorCount);

    /// <summary>The name the runtime gives its socket engine threads.</summary>
    public const string ThreadName = ".NET Sockets";

    [ThreadStatic]
    private static int t_slot; // 0: not asked yet on this thread; -1: none; k + 1: slot k

    private static int s_numbered = -1;

    /// <summary>This thread's slot, 0 to <see cref="MaxSlots"/> - 1, or -1 when it is not an engine thread (or past the last slot).</summary>
    public static int CurrentSlot
    {
        get
        {
            var slot = t_slot;
            if (slot == 0)
            {
                slot = Number(Thread.CurrentThread.Name);
                t_slot = slot;
            }

            return slot < 0 ? -1 : slot - 1;
        }
    }

    private static int Number(string? threadName)
    {
        if (threadName != ThreadName)
        {
            return -1;
        }

        var next = Interlocked.Increment(ref s_numbered);
        return next < MaxSlots ? next + 1 : -1;
    }
}
