using System.Security.Cryptography;

namespace GradientNode.Core.Datasets;

/// <summary>Short version ids in Gradient's form: seven characters of <c>[a-z0-9]</c>, starting with a letter.</summary>
public static class DatasetVersionIds
{
    private const string Letters = "abcdefghijklmnopqrstuvwxyz";
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static string Random() =>
        string.Create(7, 0, static (span, _) =>
        {
            span[0] = Letters[RandomNumberGenerator.GetInt32(Letters.Length)];
            for (var i = 1; i < span.Length; i++)
            {
                span[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
            }
        });

    /// <summary>The same id for the same content key (a hex string), so that a clone of the same repositories is one version.</summary>
    public static string FromKey(string hexKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(hexKey);
        var value = Convert.ToUInt64(hexKey[..Math.Min(15, hexKey.Length)], 16);
        return string.Create(7, value, static (span, v) =>
        {
            span[0] = Letters[(int)(v % 26)];
            v /= 26;
            for (var i = 1; i < span.Length; i++)
            {
                span[i] = Alphabet[(int)(v % 36)];
                v /= 36;
            }
        });
    }
}
