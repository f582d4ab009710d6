using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace GradientNode.Proxy.Auth;

/// <summary>
/// Basic auth against a token precomputed on route reload: no hashing or decoding per request, and the
/// token comparison is constant-time (only the length can differ quickly).
/// </summary>
internal static class BasicAuthentication
{
    private const string Scheme = "Basic ";

    /// <summary>The base64 token of an expected header value such as <c>Basic cGFw...</c>, or null when unusable.</summary>
    public static string? ExpectedToken(string? expectedAuthorization)
    {
        if (string.IsNullOrWhiteSpace(expectedAuthorization))
        {
            return null;
        }

        var value = expectedAuthorization.AsSpan().Trim();
        if (value.Length > Scheme.Length && value[..Scheme.Length].Equals(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            value = value[Scheme.Length..].Trim();
        }

        return value.ToString();
    }

    /// <summary>
    /// The <c>WWW-Authenticate</c> value for a deployment: realm = its name, quoted, when that is printable ASCII;
    /// otherwise its slug (a header value must be ASCII; Kestrel answers 500 to anything else).
    /// </summary>
    public static string Challenge(string name, string slug)
    {
        var realm = IsPrintableAscii(name) ? name : slug;
        return $"Basic realm=\"{realm.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
    }

    private static bool IsPrintableAscii(string value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return value.Length > 0;
    }

    public static bool IsAuthorized(string? authorization, string expectedToken)
    {
        if (authorization is null)
        {
            return false;
        }

        var value = authorization.AsSpan().Trim();
        if (value.Length <= Scheme.Length || !value[..Scheme.Length].Equals(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var token = value[Scheme.Length..].TrimStart();
        return CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(token), MemoryMarshal.AsBytes(expectedToken.AsSpan()));
    }
}
