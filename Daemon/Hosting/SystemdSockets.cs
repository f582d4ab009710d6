using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using GradientNode.Daemon.Security;
using GradientNode.Proxy.Hosting;

namespace GradientNode.Daemon.Hosting;

/// <summary>
/// The listening sockets systemd passes to a socket-activated service (sd_listen_fds(3)): <c>LISTEN_FDS</c> descriptors
/// from 3 on, meant for this process when <c>LISTEN_PID</c> is its id. The variables are removed once read, and the
/// descriptors made close-on-exec, so that nothing the node starts (git, nvidia-smi) inherits them. TCP sockets (IPv4 or
/// IPv6, for the proxy's listeners) and unix sockets with a path (for the daemon's API) are taken; anything else is left
/// alone and named in <see cref="Taken.Skipped"/>.
/// </summary>
internal static class SystemdSockets
{
    private const int FirstDescriptor = 3; // SD_LISTEN_FDS_START
    private const int MaxDescriptors = 64;

    /// <summary>The TCP sockets passed down, and the descriptors that were neither TCP nor unix sockets (with why).</summary>
    public sealed record Taken(IReadOnlyList<InheritedSocket> Sockets, IReadOnlyList<string> Skipped)
    {
        /// <summary>The unix sockets passed down (with a path: abstract ones are skipped).</summary>
        public IReadOnlyList<InheritedUnixSocket> UnixSockets { get; init; } = [];

        public static Taken None { get; } = new([], []);
    }

    /// <summary>Reads and removes the variables of this process's environment; nothing passed down: empty.</summary>
    public static Taken FromProcess()
    {
        var bound = new Dictionary<int, object?>();
        object? Bound(int descriptor) => bound.TryGetValue(descriptor, out var known) ? known : bound[descriptor] = BoundTo(descriptor);
        var taken = Read(Environment.GetEnvironmentVariable, Environment.ProcessId, d => Bound(d) as IPEndPoint, d => Bound(d) as string);
        foreach (var name in (string[])["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"])
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        foreach (var descriptor in taken.Sockets.Select(s => s.Descriptor).Concat(taken.UnixSockets.Select(s => s.Descriptor)))
        {
            _ = Libc.SetDescriptorFlags(descriptor, Libc.SetDescriptorFlagsCommand, Libc.CloseOnExec);
        }

        return taken;
    }

    /// <param name="addressOf">The address a descriptor is bound to; null when it is not an IPv4 or IPv6 socket.</param>
    /// <param name="pathOf">The path a descriptor is bound to; null when it is not a unix socket with a path.</param>
    public static Taken Read(Func<string, string?> env, int ownPid, Func<int, IPEndPoint?> addressOf, Func<int, string?>? pathOf = null)
    {
        if (env("LISTEN_PID") != ownPid.ToString(CultureInfo.InvariantCulture)
            || !int.TryParse(env("LISTEN_FDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0)
        {
            return Taken.None;
        }

        var sockets = new List<InheritedSocket>();
        var unix = new List<InheritedUnixSocket>();
        var skipped = new List<string>();
        for (var descriptor = FirstDescriptor; descriptor < FirstDescriptor + Math.Min(count, MaxDescriptors); descriptor++)
        {
            if (addressOf(descriptor) is { } endPoint)
            {
                sockets.Add(new InheritedSocket(descriptor, endPoint));
            }
            else if (pathOf?.Invoke(descriptor) is { } path)
            {
                unix.Add(new InheritedUnixSocket(descriptor, path));
            }
            else
            {
                skipped.Add(string.Create(CultureInfo.InvariantCulture, $"descriptor {descriptor} (neither a TCP socket nor a unix socket with a path)"));
            }
        }

        return new Taken(sockets, skipped) { UnixSockets = unix };
    }

    /// <summary>
    /// <c>getsockname(2)</c>, once per descriptor: an <see cref="IPEndPoint"/> for a <c>sockaddr_in</c> or
    /// <c>sockaddr_in6</c>, the path of a <c>sockaddr_un</c> that has one (not an abstract or unnamed socket), else null.
    /// </summary>
    private static object? BoundTo(int descriptor)
    {
        Span<byte> address = stackalloc byte[128];
        var length = address.Length;
        if (Libc.GetSockName(descriptor, address, ref length) != 0 || length < 2)
        {
            return null;
        }

        var family = BinaryPrimitives.ReadUInt16LittleEndian(address); // sa_family_t, host order (little-endian on x64 and arm64)
        var port = BinaryPrimitives.ReadUInt16BigEndian(address[2..]);
        switch (family)
        {
            case 2 when length >= 8: // AF_INET
                return new IPEndPoint(new IPAddress(address.Slice(4, 4)), port);
            case 10 when length >= 24: // AF_INET6
                return new IPEndPoint(new IPAddress(address.Slice(8, 16)), port);
            case 1 when length > 3 && address[2] != 0: // AF_UNIX with a path (sun_path starting with NUL: abstract)
                var path = address[2..Math.Min(length, address.Length)];
                var end = path.IndexOf((byte)0);
                return System.Text.Encoding.UTF8.GetString(end < 0 ? path : path[..end]);
            default:
                return null;
        }
    }
}
