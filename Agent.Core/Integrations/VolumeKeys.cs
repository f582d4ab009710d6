using System.Security.Cryptography;
using System.Text;

namespace GradientNode.Core.Integrations;

/// <summary>Content keys: a source with the same canonical block (and the same secret) has the same key, so it is fetched once.</summary>
public static class VolumeKeys
{
    public static string For(VolumeSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source.Canonical())));
    }

    /// <summary>A secret enters a key only as its digest, so a changed secret fetches again and the key reveals nothing.</summary>
    public static string SecretDigest(string? secret) =>
        secret is null ? "-" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("gradient-node:" + secret)));
}
