using System.Globalization;
using System.Text;
using GradientNode.Core.Common;

namespace GradientNode.Core.Routing;

/// <summary>
/// <c>&lt;run-dir&gt;/routes.applied</c>: the proxy's answer to <c>routes.json</c>. It holds the version of the newest
/// route table whose routes the proxy serves now (a table that differs from the one served only in its version counts
/// as served). The proxy writes it whenever that changes and removes it when it stops; the daemon reads it to say a
/// deployment is routed only once the proxy serves its replicas (<see cref="RoutePublisher.Routed"/>), which matters
/// where the proxy runs as a process of its own. Absent: no proxy answers (a daemon role alone, or an older proxy).
/// </summary>
public static class AppliedRoutesFile
{
    public const string FileName = "routes.applied";

    public static string PathIn(string runDir) => Path.Combine(runDir, FileName);

    public static void Write(string runDir, long version) =>
        AtomicFile.Write(PathIn(runDir), Encoding.ASCII.GetBytes(version.ToString(CultureInfo.InvariantCulture) + "\n"), AtomicFile.OwnerOnly, durable: false);

    /// <summary>The version written, or null when there is no file or it cannot be read as one.</summary>
    public static long? Read(string runDir)
    {
        try
        {
            var text = File.ReadAllText(PathIn(runDir)).Trim();
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Removes the file; never throws. Left behind, the daemon waits for a proxy that is not there, and says so.</summary>
    public static void Delete(string runDir) => AtomicFile.TryDelete(PathIn(runDir));
}
