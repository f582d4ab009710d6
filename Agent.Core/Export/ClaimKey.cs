using System.Security.Cryptography;
using System.Text;

namespace GradientNode.Core.Export;

/// <summary>
/// The folder a source is kept in under <c>--pvc</c>: <c>src-</c> and 16 hex digits of the SHA-256 of the source's fields
/// (type, url, ref, …; a secret by its reference, since the export never sees values). The same source gives the same
/// folder in every pod and every export; a changed field gives another.
/// </summary>
internal static class ClaimKey
{
    public static string Of(params string?[] fields)
    {
        var canonical = string.Join('\n', fields.Select(f => f ?? string.Empty));
        return "src-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..16];
    }
}
