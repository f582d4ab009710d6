using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using GradientNode.Daemon.Security;

namespace GradientNode.Daemon.Hosting;

/// <summary>
/// One node of a name per engine on this host. Two daemons with the same <c>--node-name</c> on one Docker Engine each
/// took the other's replicas for orphans and removed them; the second one now refuses to start, naming the first
/// one's pid. The lease is a listening unix socket in the abstract namespace (no file to leave behind: the kernel lets
/// go of it when the process ends, however it ends) named after a hash of the engine's address and the node name;
/// the holder is read with <c>SO_PEERCRED</c>. A holder that runs as another user than this node cannot be the node
/// (a local user who took the name first): it is reported and not obeyed, so that nobody can keep the node from
/// starting. Two engine addresses of one engine (tcp and unix) are not seen as one (docs/design/reconciler.md).
/// </summary>
internal sealed class NodeNameLease : IDisposable
{
    private const int Backlog = 64;
    private const int Attempts = 20;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket? _socket;

    private NodeNameLease(Socket? socket, string? warning)
    {
        _socket = socket;
        Warning = warning;
        if (socket is not null)
        {
            _ = Task.Run(() => AnswerAsync(socket));
        }
    }

    /// <summary>Why this node holds no lease though it may run; null when it holds one.</summary>
    public string? Warning { get; }

    /// <summary>Takes the name, or throws <see cref="StartupException"/> naming the live node that holds it.</summary>
    /// <param name="prefix">The abstract socket name's prefix; tests give their own.</param>
    public static async Task<NodeNameLease> AcquireAsync(
        string nodeName, string engineHost, uint ownUid, TimeProvider time, CancellationToken cancellationToken, string prefix = "gradient-node/node/")
    {
        var endpoint = new UnixDomainSocketEndPoint("\0" + prefix + Hash(engineHost, nodeName));
        var notChecked = $"the node name '{nodeName}' on {engineHost} could not be checked";
        for (var attempt = 1; ; attempt++)
        {
            if (TryBind(endpoint) is { } held)
            {
                return new NodeNameLease(held, null);
            }

            using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(AskTimeout);
                await probe.ConnectAsync(endpoint, timeout.Token).ConfigureAwait(false);
                return Holder(PeerCredentials.Read(probe), nodeName, engineHost, ownUid);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new NodeNameLease(null, $"{notChecked} (its holder did not answer): another node with this name would not be refused");
            }
            catch (SocketException ex) when (attempt < Attempts)
            {
                // Refused: the holder stopped between the two calls, and the name is free again. Else its queue is full
                // for a moment (it answers by closing): ask again shortly.
                if (ex.SocketErrorCode != SocketError.ConnectionRefused)
                {
                    await Task.Delay(RetryDelay, time, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (SocketException ex)
            {
                return new NodeNameLease(null, $"{notChecked} ({ex.Message}): another node with this name would not be refused");
            }
        }
    }

    public void Dispose() => _socket?.Dispose();

    // A connection is answered by closing it, so that the queue of a listener that is only asked who it is never fills.
    private static async Task AnswerAsync(Socket socket)
    {
        try
        {
            while (true)
            {
                using var asking = await socket.AcceptAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Disposed: the node stops.
        }
    }

    private static Socket? TryBind(UnixDomainSocketEndPoint endpoint)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(endpoint);
            socket.Listen(Backlog);
            return socket;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            return null;
        }
    }

    private static NodeNameLease Holder(PeerCredentials? holder, string nodeName, string engineHost, uint ownUid)
    {
        if (holder is { } h && h.Uid == ownUid)
        {
            throw new StartupException(
                $"another gradient-node (pid {h.Pid}) already runs node '{nodeName}' on the engine {engineHost}: two nodes with one name "
                + "remove each other's replicas as orphans; stop that one first, or give this one its own --node-name (node.yaml nodeName)");
        }

        return new NodeNameLease(null,
            $"the node name '{nodeName}' on {engineHost} is held by a process of uid {holder?.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}, "
            + "not this node's user: another node with this name would not be refused");
    }

    private static string Hash(string engineHost, string nodeName) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(engineHost + "\n" + nodeName)))[..32];
}
