using System.Text;
using GradientNode.Core.Common;

namespace GradientNode.Core.Routing;

/// <summary>
/// <c>&lt;run-dir&gt;/tls-names</c>: the proxy's <see cref="TlsNames"/>, for the daemon's warnings (where the proxy runs
/// as a process of its own too). Written by the proxy when its certificates are loaded and each time they change,
/// removed when it stops. Text: a first line <c>rest node-ca</c> or <c>rest given</c>, then one <c>name NAME</c> line
/// per DNS name of a given certificate, and a <c>renewal TEXT</c> line while the node CA's renewal cannot be written
/// (<see cref="TlsNames.RenewalNotWritten"/>), and a <c>rejected TEXT</c> line while re-read files are bad and the
/// certificates read before keep serving (<see cref="TlsNames.Rejected"/>). Absent or unreadable: nothing is known, nothing is warned.
/// </summary>
public static class TlsNamesFile
{
    public const string FileName = "tls-names";

    /// <summary>The most bytes read (1000 certificates with a few names each are far below it).</summary>
    public const int MaxBytes = 1 << 20;

    public static string PathIn(string runDir) => Path.Combine(runDir, FileName);

    public static void Write(string runDir, TlsNames names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var text = new StringBuilder(names.NodeAuthorityServesTheRest ? "rest node-ca\n" : "rest given\n");
        foreach (var name in names.Given)
        {
            text.Append("name ").Append(name).Append('\n');
        }

        if (names.RenewalNotWritten is { } renewal)
        {
            text.Append("renewal ").Append(renewal.ReplaceLineEndings(" ")).Append('\n');
        }

        if (names.Rejected is { } rejected)
        {
            text.Append("rejected ").Append(rejected.ReplaceLineEndings(" ")).Append('\n');
        }

        Directory.CreateDirectory(runDir);
        AtomicFile.Write(PathIn(runDir), Encoding.UTF8.GetBytes(text.ToString()), AtomicFile.OwnerOnly, durable: false);
    }

    /// <summary>What the file says, or null when there is none or it cannot be read as one.</summary>
    public static TlsNames? Read(string runDir)
    {
        try
        {
            var info = new FileInfo(PathIn(runDir));
            if (!info.Exists || info.Length > MaxBytes)
            {
                return null;
            }

            var lines = File.ReadAllLines(info.FullName);
            if (lines is not [("rest node-ca" or "rest given") and var rest, ..])
            {
                return null;
            }

            var names = lines.Skip(1).Where(l => l.StartsWith("name ", StringComparison.Ordinal)).Select(l => l[5..]).ToList();
            var renewal = lines.Skip(1).LastOrDefault(l => l.StartsWith("renewal ", StringComparison.Ordinal))?[8..];
            var rejected = lines.Skip(1).LastOrDefault(l => l.StartsWith("rejected ", StringComparison.Ordinal))?[9..];
            return new TlsNames(names, rest == "rest node-ca") { RenewalNotWritten = renewal, Rejected = rejected };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Removes the file; never throws. Left behind, the daemon's warnings describe the certificates of the proxy that
    /// stopped.
    /// </summary>
    public static void Delete(string runDir) => AtomicFile.TryDelete(PathIn(runDir));
}
