using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace GradientNode.Daemon.Security;

/// <summary>
/// The user who owns the other end of a TCP connection that was opened on this host, read from the kernel's socket
/// tables (<c>/proc/net/tcp</c>, <c>/proc/net/tcp6</c>): the row whose local address is the connection's remote end and
/// whose remote address is our end is the client's own socket, and its <c>uid</c> column is the user that made it (what
/// identd answers). A connection from another host, or from another network namespace (a container), has no such row.
/// </summary>
internal static class TcpPeerOwner
{
    /// <summary>The uid of the local process's socket at <paramref name="remote"/> connected to <paramref name="local"/>; null when no socket of this host's network is it.</summary>
    public static uint? Find(IPEndPoint remote, IPEndPoint local, string procNetDir = "/proc/net")
    {
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(local);
        foreach (var table in new[] { "tcp", "tcp6" })
        {
            string text;
            try
            {
                text = File.ReadAllText(Path.Combine(procNetDir, table));
            }
            catch (IOException)
            {
                continue;
            }

            if (FindIn(text, remote, local) is { } uid)
            {
                return uid;
            }
        }

        return null;
    }

    /// <summary>The uid of the row of <paramref name="table"/> (the text of <c>/proc/net/tcp</c> or <c>tcp6</c>) whose local end is <paramref name="remote"/> and remote end <paramref name="local"/>.</summary>
    public static uint? FindIn(string table, IPEndPoint remote, IPEndPoint local)
    {
        ArgumentNullException.ThrowIfNull(table);
        foreach (var line in table.Split('\n').Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 7
                && Parse(fields[1]) is { } from && Same(from, remote)
                && Parse(fields[2]) is { } to && Same(to, local)
                && uint.TryParse(fields[7], NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
            {
                return uid;
            }
        }

        return null;
    }

    /// <summary>
    /// <c>0100007F:1F90</c> (127.0.0.1:8080): the address as the kernel's 32-bit words printed in hex in the host's byte
    /// order, then the port in hex.
    /// </summary>
    internal static IPEndPoint? Parse(string field)
    {
        var colon = field.IndexOf(':', StringComparison.Ordinal);
        if (colon is not (8 or 32) || !int.TryParse(field.AsSpan(colon + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var port))
        {
            return null;
        }

        var bytes = new byte[colon / 2];
        for (var word = 0; word < colon / 8; word++)
        {
            if (!uint.TryParse(field.AsSpan(word * 8, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            var target = bytes.AsSpan(word * 4, 4);
            if (BitConverter.IsLittleEndian)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(target, value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32BigEndian(target, value);
            }
        }

        return new IPEndPoint(new IPAddress(bytes), port);
    }

    /// <summary>Equal ends, an IPv4 address and its IPv4-mapped IPv6 form (a dual-mode socket's) being one.</summary>
    private static bool Same(IPEndPoint a, IPEndPoint b) =>
        a.Port == b.Port && a.Address.MapToIPv6().Equals(b.Address.MapToIPv6());
}
