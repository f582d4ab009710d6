using System.Globalization;
using System.Text;
using GradientNode.Core.Common;

namespace GradientNode.Core.Secrets;

/// <summary>
/// How many times each deployment was restarted on purpose (<c>gradient-node restart NAME</c>), kept under
/// <c>&lt;state-dir&gt;/restarts/</c>. The number is part of the spec hash (from 1 on), so a restart rolls every replica.
/// A file that holds no number (empty, cut short, edited by hand) is kept aside as <c>SLUG.damaged-&lt;UTC&gt;</c> with
/// warning 1402 and the count starts again from 0: the deployment's version hash changes once, so its replicas are replaced
/// once (a rollout, as a restart does). Before, it read as 0 without a word on every pass and the next restart overwrote it.
/// </summary>
public sealed class RestartGenerations(string stateDir, StateFileDamage? damage = null)
{
    private readonly StateFileDamage _damage = damage ?? StateFileDamage.Unlogged;

    private string Directory { get; } = Path.Combine(stateDir, "restarts");

    public int Get(string slug)
    {
        var path = Path.Combine(Directory, slug);
        if (!File.Exists(path))
        {
            // The common case, asked on every reconcile (the spec hash): a stat, not a thrown DirectoryNotFoundException (issue 20).
            return 0;
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return 0;
        }

        if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        _damage.Report(path, text.Trim().Length == 0 ? $"it is empty ({text.Length} characters, white space only)" : $"it holds no restart count ({text.Length} characters that are not a number)",
            $"deployment '{slug}' counts its restarts from 0 again: its version changes once, so its replicas are replaced once");
        return 0;
    }

    /// <summary>
    /// Drops a removed deployment's count, so that nothing of it stays under the state dir (a new deployment of the same
    /// name starts at 0). A file left behind only keeps the count: the next restart of a deployment of that name goes on
    /// from it.
    /// </summary>
    public void Forget(string slug) => AtomicFile.TryDelete(Path.Combine(Directory, slug));

    public int Bump(string slug)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var next = Get(slug) + 1;
        AtomicFile.Write(Path.Combine(Directory, slug), Encoding.ASCII.GetBytes(next.ToString(CultureInfo.InvariantCulture)), AtomicFile.OwnerOnly);
        return next;
    }
}
