namespace GradientNode.Proxy.Tls;

/// <summary>A certificate or key file that cannot be used; the message names the file and says why.</summary>
public sealed class CertificateLoadException : InvalidOperationException
{
    public CertificateLoadException(string path, string reason, Exception? inner = null)
        : base($"{path}: {reason}", inner)
    {
        FilePath = path;
    }

    public string FilePath { get; }
}
