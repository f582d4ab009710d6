using System.Globalization;
using System.Text;
using GradientNode.Core.Common;

namespace GradientNode.Core.Secrets;

/// <summary>
/// How many times each deployment was restarted on purpose (<c>gradient-node restart NAME</c>), kept under
/// <c>&lt;state-dir&gt;/restarts/</c>. The number is part of the spec hash (from 1 on), so a restart rolls every replica.
/// </summary>
public sealed class RestartGenerations(string stateDir)
{
    private string Directory { get; } = Path.Combine(stateDir, "restarts");

    public int Get(string slug)
    {
        var path = Path.Combine(Directory, slug);
        if (!File.Exists(path))
        {
            // The common case, asked on every reconcile (the spec hash): a stat, not a thrown DirectoryNotFoundException (issue 20).
            return 0;
        }

        try
        {
            return int.TryParse(File.ReadAllText(path), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return 0;
        }
    }

    /// <summary>Drops a removed deployment's count, so that nothing of it stays under the state dir (a new deployment of the same name starts at 0).</summary>
    public void Forget(string slug)
    {
        try
        {
            File.Delete(Path.Combine(Directory, slug));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file left behind only keeps the count: the next restart of a deployment of that name goes on from it.
        }
    }

    public int Bump(string slug)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var next = Get(slug) + 1;
        AtomicFile.Write(Path.Combine(Directory, slug), Encoding.ASCII.GetBytes(next.ToString(CultureInfo.InvariantCulture)), AtomicFile.OwnerOnly);
        return next;
    }
}
