using GradientNode.Daemon.Configuration;

namespace GradientNode.Daemon.Hosting;

/// <summary>
/// The daemon's folders, made (or checked writable) before anything listens: a state directory on a read-only mount, or a
/// specs folder whose parent the node may not write, stops the start with one line that names the folder, the setting and
/// what to do. Before, <c>up</c> started its proxy first and then ended on .NET's own words
/// (<c>Read-only file system : '/mnt/ro/state/secrets'</c>, <c>Access to the path '/etc/x' is denied.</c>), naming no setting.
/// </summary>
internal static class NodeDirectories
{
    public static void Prepare(NodeOptions options)
    {
        Make(options.StateDir, "state directory", "--state-dir", "stateDir", mustWrite: true);
        Make(options.SpecsDir, "specs directory", "--specs-dir", "specsDir", mustWrite: false);
        Make(options.RunDir, "run directory", "--run-dir", "runDir", mustWrite: true);
    }

    /// <summary>Creates <paramref name="path"/> when missing and, where the node writes, checks with a file made and removed at once.</summary>
    internal static void Make(string path, string what, string flag, string key, bool mustWrite)
    {
        var doing = "created";
        try
        {
            Directory.CreateDirectory(path);
            if (mustWrite)
            {
                doing = "written";
                var probe = Path.Combine(path, $".write-check-{Environment.ProcessId}");
                using (File.Create(probe, 1, FileOptions.DeleteOnClose))
                {
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException(
                $"the {what} {path} cannot be {doing}: {Core.Common.FileProblem.Describe(ex)}; "
                + $"point {flag} ({key} in node.yaml) at a folder the node's user ({Environment.UserName}) may write, or make this one writable");
        }
    }
}
