using System.Buffers.Binary;
using System.Net;

namespace GradientNode.Proxy.Auth;

/// <summary>
/// Who failed where: the client's address group and the deployment's slug. An IPv4 address is its own group (as
/// <c>::ffff:a.b.c.d</c>, so an IPv4-mapped IPv6 peer of a dual-stack listener is the same client); an IPv6 address
/// counts by its /64 prefix, the usual allocation to one host or site (one machine can use the whole /64).
/// The address is the TCP peer's, never <c>X-Forwarded-For</c>: the proxy is the edge.
/// </summary>
internal readonly record struct AuthFailureKey(UInt128 Client, string Deployment)
{
    private const ulong MappedPrefix = 0xFFFF_0000_0000UL;

    /// <summary>The address group of <paramref name="address"/> (zero when unknown); allocation-free.</summary>
    public static UInt128 ClientOf(IPAddress? address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (address is null || !address.TryWriteBytes(bytes, out var written))
        {
            return UInt128.Zero;
        }

        if (written == 4)
        {
            return MappedIPv4(bytes[..4]);
        }

        if (BinaryPrimitives.ReadUInt64BigEndian(bytes) == 0 && BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]) == 0xFFFF)
        {
            return MappedIPv4(bytes[12..]);
        }

        return new UInt128(BinaryPrimitives.ReadUInt64BigEndian(bytes), 0);
    }

    /// <summary>The group as text for a log line: <c>203.0.113.7</c> or <c>2001:db8:1:2::/64</c>.</summary>
    public static string Describe(UInt128 client)
    {
        var high = (ulong)(client >> 64);
        var low = (ulong)client;
        Span<byte> bytes = stackalloc byte[16];
        if (high == 0 && (low >> 32) == 0xFFFF)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)low);
            return new IPAddress(bytes[..4]).ToString();
        }

        BinaryPrimitives.WriteUInt64BigEndian(bytes, high);
        return new IPAddress(bytes).ToString() + "/64";
    }

    private static UInt128 MappedIPv4(ReadOnlySpan<byte> v4) => new(0, MappedPrefix | BinaryPrimitives.ReadUInt32BigEndian(v4));
}
