using System.Formats.Tar;
using GradientNode.Core.Common;

namespace GradientNode.Proxy.Tls;

/// <summary>
/// Reads <c>--tls-dir</c>: every <c>NAME.crt</c> with its <c>NAME.key</c>, and every <c>NAME.pem</c> holding a
/// certificate and its key, in file-name order. Other files are ignored. At start a bad file is an error; on a
/// re-read it is logged and the certificate that file gave before keeps serving, as it does for a pair whose
/// <c>NAME.crt</c> was deleted while its <c>NAME.key</c> is still there.
/// </summary>
internal static class CertificateDirectoryReader
{
    /// <summary>At most this many certificates are read from the folder.</summary>
    public const int MaxCertificates = 1000;

    /// <param name="skipped">Told how many certificate files past <paramref name="max"/> were not read, when some were not.</param>
    public static IReadOnlyList<ServerCertificate> Read(
        string directory, IReadOnlyList<ServerCertificate> previous, bool strict, Action<string> reject, DateTimeOffset? rejectExpiredAt = null,
        Action<int>? skipped = null, int max = MaxCertificates)
    {
        if (!Directory.Exists(directory))
        {
            // A certificate file given as --tls-dir (tlsDir) read "folder not found", as if nothing were there.
            throw new CertificateLoadException(directory, NotAFolder(directory));
        }

        var result = new List<ServerCertificate>();
        List<string> all;
        try
        {
            all = [.. Directory.EnumerateFiles(directory)
                .Where(f => f.EndsWith(".crt", StringComparison.Ordinal) || f.EndsWith(".pem", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)];
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            // Before: "Access to the path '…' is denied.", with no word of the option.
            var why = ex is UnauthorizedAccessException ? "permission denied" : ex.Message;
            throw new CertificateLoadException(directory, $"the folder cannot be read by the user the node runs as ({Environment.UserName}: {why}): --tls-dir (tlsDir) must be a folder it can list and read", ex);
        }

        if (all.Count > max)
        {
            skipped?.Invoke(all.Count - max);
        }

        var files = all.Take(max);
        foreach (var file in files)
        {
            try
            {
                if (file.EndsWith(".crt", StringComparison.Ordinal) && !File.Exists(Path.ChangeExtension(file, ".key")) && !Directory.Exists(Path.ChangeExtension(file, ".key")))
                {
                    throw new CertificateLoadException(file, $"no {Path.GetFileNameWithoutExtension(file)}.key beside it: each NAME.crt here is served with its NAME.key (a CA certificate does not belong in this folder)");
                }

                result.Add(file.EndsWith(".pem", StringComparison.Ordinal)
                    ? PemCertificateLoader.LoadCombined(file, rejectExpiredAt)
                    : PemCertificateLoader.Load(file, Path.ChangeExtension(file, ".key"), rejectExpiredAt));
            }
            catch (CertificateLoadException ex) when (!strict)
            {
                reject(ex.Message);
                var source = file.EndsWith(".pem", StringComparison.Ordinal) ? file : $"{file} + {Path.ChangeExtension(file, ".key")}";
                if (previous.FirstOrDefault(c => c.Source == source) is { } kept)
                {
                    result.Add(kept);
                }
            }
        }

        if (!strict)
        {
            KeepHalfDeletedPairs(directory, previous, result, reject);
        }

        return result;
    }

    /// <summary>What <paramref name="path"/> is instead of a folder, and what <c>--tls-dir</c> wants.</summary>
    private static string NotAFolder(string path)
    {
        const string Wanted = "--tls-dir (tlsDir) names a folder of NAME.crt + NAME.key or NAME.pem files";
        if (!File.Exists(path))
        {
            return $"folder not found: {Wanted}";
        }

        TarEntryType? kind;
        try
        {
            kind = FileKind.Of(new FileInfo(path).LinkTarget is null ? path : File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path);
        }
        catch (IOException)
        {
            kind = null;
        }

        return kind switch
        {
            TarEntryType.RegularFile or TarEntryType.V7RegularFile =>
                $"a file, not a folder: {Wanted}; for one certificate and its key use --tls-cert and --tls-key (tlsCert, tlsKey)",
            TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo or null =>
                $"{(kind switch { TarEntryType.CharacterDevice => "a character device", TarEntryType.BlockDevice => "a block device", TarEntryType.Fifo => "a fifo", _ => "a socket or another kind of file" })}, not a folder: {Wanted}; to serve every host from the node's own CA, leave --tls-dir out (unlike --config, --tls-dir /dev/null does not mean none)",
            _ => $"not a folder: {Wanted}",
        };
    }

    /// <summary>
    /// A pair that served before whose <c>NAME.crt</c> is gone while its <c>NAME.key</c> is still there: a replacement
    /// under way (<c>rm NAME.crt; cp new.crt NAME.crt</c>) or half a removal. Before, its host lost its certificate at
    /// once, silently; now the error names the missing file and the previous certificate keeps serving until the
    /// <c>.crt</c> is back, or the <c>.key</c> goes too (a pair deleted whole is no longer served: that is how a host's
    /// certificate is removed).
    /// </summary>
    private static void KeepHalfDeletedPairs(string directory, IReadOnlyList<ServerCertificate> previous, List<ServerCertificate> result, Action<string> reject)
    {
        foreach (var kept in previous)
        {
            if (result.Contains(kept) || kept.Source.Split(" + ") is not [var crt, var key]
                || !string.Equals(Path.GetDirectoryName(crt), directory.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal)
                || File.Exists(crt) || !File.Exists(key) || result.Any(c => c.Source.StartsWith(crt + " ", StringComparison.Ordinal)))
            {
                continue;
            }

            reject($"{crt}: file not found, while its {Path.GetFileName(key)} is still there: the certificate it held keeps serving until it is back (delete {Path.GetFileName(key)} too to stop serving it)");
            result.Add(kept);
        }
    }
}
