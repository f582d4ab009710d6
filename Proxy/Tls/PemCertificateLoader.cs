using System.Formats.Tar;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using GradientNode.Core.Common;

namespace GradientNode.Proxy.Tls;

/// <summary>
/// Reads PEM certificates and keys (RSA or ECDSA, PKCS#1, SEC1 or PKCS#8), each problem named by its file: a
/// certificate file without a certificate, a key file without a usable key, a key that does not match.
/// The first certificate of a file is the leaf; the ones after it are the chain sent with it.
/// </summary>
internal static class PemCertificateLoader
{
    /// <summary>The most a certificate or key file may hold (a chain of a few certificates is far below it).</summary>
    public const int MaxFileBytes = 1 << 20;

    private const string NotRegular = "not a regular file (a fifo, device or socket), so it is not read; a certificate or key must be a PEM file";

    /// <summary>A certificate file and its key file; with <paramref name="rejectExpiredAt"/>, a leaf expired at that time is an error naming the certificate file.</summary>
    public static ServerCertificate Load(string certificatePath, string keyPath, DateTimeOffset? rejectExpiredAt = null)
    {
        var certificateText = ReadText(certificatePath);
        var keyText = ReadText(keyPath);
        var (leaf, chain) = ReadCertificates(certificatePath, certificateText, rejectExpiredAt);
        return Combine(leaf, chain, certificatePath, keyPath, keyText, $"{certificatePath} + {keyPath}");
    }

    /// <summary>One PEM file that holds the certificate (and chain) and the key.</summary>
    public static ServerCertificate LoadCombined(string path, DateTimeOffset? rejectExpiredAt = null)
    {
        var text = ReadText(path);
        var (leaf, chain) = ReadCertificates(path, text, rejectExpiredAt);
        return Combine(leaf, chain, path, path, text, path);
    }

    private static ServerCertificate Combine(X509Certificate2 leaf, X509Certificate2Collection chain, string certificatePath, string keyPath, string keyText, string source)
    {
        X509Certificate2 withKey;
        using (leaf)
        {
            try
            {
                withKey = Attach(leaf, keyPath, keyText);
            }
            catch (CertificateLoadException) when (MatchingPosition(chain, keyPath, keyText) is { } position)
            {
                // `cat ca.crt server.crt > bundle.pem` put the leaf after its issuer: "the key does not match" sent people
                // to look for another key.
                throw new CertificateLoadException(certificatePath, $"the private key matches certificate {position} of this file, not the first: the server's own certificate must come first and its intermediates after it (as in certbot's fullchain.pem)");
            }
        }

        return new ServerCertificate(withKey, chain, source);
    }

    private static X509Certificate2 Attach(X509Certificate2 certificate, string keyPath, string keyText) => certificate.GetKeyAlgorithm() switch
    {
        "1.2.840.10045.2.1" => WithKey(certificate, keyPath, keyText, ECDsa.Create, (c, k) => c.CopyWithPrivateKey(k)),
        "1.2.840.113549.1.1.1" => WithKey(certificate, keyPath, keyText, RSA.Create, (c, k) => c.CopyWithPrivateKey(k)),
        var oid => throw new CertificateLoadException(keyPath, $"the certificate's key algorithm {oid} is not supported (use RSA or ECDSA)"),
    };

    /// <summary>The 1-based place in the file (2 or later) of a certificate after the first that the key matches, else null.</summary>
    private static int? MatchingPosition(X509Certificate2Collection chain, string keyPath, string keyText)
    {
        for (var i = 0; i < chain.Count; i++)
        {
            try
            {
                using var matched = Attach(chain[i], keyPath, keyText);
                return i + 2;
            }
            catch (CertificateLoadException)
            {
            }
        }

        return null;
    }

    private static X509Certificate2 WithKey<TKey>(X509Certificate2 leaf, string keyPath, string keyText, Func<TKey> create, Func<X509Certificate2, TKey, X509Certificate2> attach)
        where TKey : AsymmetricAlgorithm
    {
        using var key = create();
        try
        {
            key.ImportFromPem(keyText);
        }
        catch (ArgumentException ex)
        {
            // ex.Message is .NET's ("No supported key formats were found. … (Parameter 'input')"): not for users.
            var (kind, block) = typeof(TKey) == typeof(RSA) ? ("RSA", "RSA PRIVATE KEY") : ("ECDSA", "EC PRIVATE KEY");
            throw new CertificateLoadException(keyPath, OtherKind<TKey>(keyText) ?? GluedBlocks(keyText)
                ?? $"no usable {kind} private key in it (expected -----BEGIN PRIVATE KEY----- or -----BEGIN {block}-----, whole; an encrypted key is not supported)", ex);
        }
        catch (CryptographicException ex)
        {
            throw new CertificateLoadException(keyPath, OtherKind<TKey>(keyText) ?? $"the private key cannot be read: {ex.Message}", ex);
        }

        try
        {
            return attach(leaf, key);
        }
        catch (CryptographicException ex)
        {
            throw new CertificateLoadException(keyPath, "the private key does not match the certificate", ex);
        }
        catch (ArgumentException ex)
        {
            throw new CertificateLoadException(keyPath, "the private key does not match the certificate", ex);
        }
    }

    /// <summary>A mismatch message when the key is a good one of the other algorithm (an ECDSA key for an RSA certificate), else null.</summary>
    private static string? OtherKind<TKey>(string keyText)
        where TKey : AsymmetricAlgorithm
    {
        var (wanted, other) = typeof(TKey) == typeof(RSA) ? ("RSA", "ECDSA") : ("ECDSA", "RSA");
        using AsymmetricAlgorithm key = other == "RSA" ? RSA.Create() : ECDsa.Create();
        try
        {
            key.ImportFromPem(keyText);
            return $"the private key does not match the certificate (an {other} key for an {wanted} certificate)";
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            return null;
        }
    }

    /// <summary>
    /// Why a text that holds PEM blocks yielded none, when one block's end and the next one's start share a line
    /// (<c>cat a.crt b.crt</c> of a file without a final newline): .NET then finds no block at all, and "no certificate
    /// in it" was said of a file that plainly held two. Null when no such line is there.
    /// </summary>
    private static string? GluedBlocks(string text)
    {
        var at = text.IndexOf("----------BEGIN ", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var line = 1 + text.AsSpan(0, at).Count('\n');
        return $"line {line} joins the end of one PEM block and the start of the next (-----END …----------BEGIN …): put a line break between them (a file without a final newline was concatenated)";
    }

    private static (X509Certificate2 Leaf, X509Certificate2Collection Chain) ReadCertificates(string path, string text, DateTimeOffset? rejectExpiredAt)
    {
        var all = new X509Certificate2Collection();
        try
        {
            all.ImportFromPem(text);
        }
        catch (CryptographicException ex)
        {
            throw new CertificateLoadException(path, $"a certificate in it cannot be read: {ex.Message}", ex);
        }

        if (all.Count == 0)
        {
            throw new CertificateLoadException(path, GluedBlocks(text) ?? "no certificate in it (expected -----BEGIN CERTIFICATE-----)");
        }

        if (rejectExpiredAt is { } now && all[0].NotAfter.ToUniversalTime() < now.UtcDateTime)
        {
            var notAfter = all[0].NotAfter.ToUniversalTime();
            foreach (var certificate in all)
            {
                certificate.Dispose();
            }

            throw new CertificateLoadException(path, $"the certificate expired on {notAfter:u}");
        }

        var chain = new X509Certificate2Collection();
        for (var i = 1; i < all.Count; i++)
        {
            chain.Add(all[i]);
        }

        return (all[0], chain);
    }

    /// <summary>
    /// The text of a certificate or key file, which must be a regular file after its links and hold at most
    /// <see cref="MaxFileBytes"/>. A fifo put in place of a watched file (or a link to one) was opened for reading, which
    /// waits for a writer: the reload held its lock for good and no later change, SIGHUP or renewal was read (at start,
    /// the node never listened). A link to a device (<c>/dev/zero</c>) or a file whose size the kernel reports as 0 while
    /// it has more (<c>/proc</c>) was read whole, into root's memory. The path is checked first (so a device is not even
    /// opened), then opened without waiting and checked again on the opened descriptor (<see cref="RegularFile"/>): a file
    /// swapped for a fifo between the check and the open fails like a fifo found by the check. Only
    /// <see cref="MaxFileBytes"/> + 1 bytes are read.
    /// </summary>
    private static string ReadText(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new CertificateLoadException(path, Directory.Exists(path)
                    ? "a folder, not a PEM file (a folder of per-host certificates is --tls-dir)"
                    : "file not found");
            }

            var target = info.LinkTarget is null ? path : File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
            if (FileKind.Of(target) is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
            {
                throw new CertificateLoadException(path, NotRegular);
            }

            if (info.Length > MaxFileBytes)
            {
                throw new CertificateLoadException(path, $"larger than {MaxFileBytes} bytes; not a PEM certificate or key");
            }

            using var handle = RegularFile.TryOpenForRead(path) ?? throw new CertificateLoadException(path, NotRegular);
            var bytes = new byte[MaxFileBytes + 1];
            var length = RegularFile.ReadAtMost(handle, bytes);
            if (length > MaxFileBytes)
            {
                throw new CertificateLoadException(path, $"larger than {MaxFileBytes} bytes; not a PEM certificate or key");
            }

            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetString(bytes, 0, length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CertificateLoadException(path, ex.Message, ex);
        }
    }
}
