using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace GradientNode.Proxy.Connections;

/// <summary>
/// A connection accepted just before a stop is answered, not closed as idle (docs/design/systemd.md, "A request across
/// a restart"). Kestrel's stop asks every open connection to close, and HTTP/1.1 ends each one whose request it has not
/// read yet without an answer, which is also one it accepted a moment before whose request the kernel held but it had
/// not read. Here HTTP sees the close request only once it has read the connection's first bytes (then it answers that
/// request and closes), or when <see cref="Grace"/> has passed since the stop began without any (then it closes the
/// connection as an idle one). Placed last, after TLS, so that it is the decrypted request that counts.
/// </summary>
public static class FirstRequestWait
{
    /// <summary>How long a connection without its first bytes yet keeps its close request from HTTP once the stop began.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware(TimeProvider time, TimeSpan? grace = null) => next => async context =>
    {
        if (context.Features.Get<IConnectionLifetimeNotificationFeature>() is not { } kestrels)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        using var held = new HeldCloseRequest(kestrels, time, grace ?? Grace);
        var transport = context.Transport;
        context.Features.Set<IConnectionLifetimeNotificationFeature>(held);
        context.Transport = new ConnectionPipe(new FirstReadSignal(transport.Input, held.FirstBytesRead), transport.Output);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            context.Transport = transport;
            context.Features.Set(kestrels);
        }
    };
}
