namespace GradientNode.Proxy.Tls;

/// <summary>
/// Reads <c>--tls-dir</c>: every <c>NAME.crt</c> with its <c>NAME.key</c>, and every <c>NAME.pem</c> holding a
/// certificate and its key, in file-name order. Other files are ignored. At start a bad file is an error; on a
/// re-read it is logged and the certificate that file gave before keeps serving.
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
            throw new CertificateLoadException(directory, File.Exists(directory)
                ? "a file, not a folder: --tls-dir (tlsDir) names a folder of NAME.crt + NAME.key or NAME.pem files; for one certificate and its key use --tls-cert and --tls-key (tlsCert, tlsKey)"
                : "folder not found");
        }

        var result = new List<ServerCertificate>();
        var all = Directory.EnumerateFiles(directory)
            .Where(f => f.EndsWith(".crt", StringComparison.Ordinal) || f.EndsWith(".pem", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
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

        return result;
    }
}
