using System.Text;
using GradientNode.Core.Engine;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Core.Workflows.Specs;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>
/// A <c>script@v1</c> job's script as a read-only file in its container, run as <c>bash /.gradient/script.sh</c>, as
/// Argo (which runs Gradient's workflows) runs a script template from a file. Not <c>bash -c SCRIPT</c>: Linux refuses one
/// argument over 128 KiB (<c>MAX_ARG_STRLEN</c>), so a long script would end FAILED with <c>exec /bin/bash: argument list too long</c>.
/// Host side: <c>jobs/JOB/script.sh</c>, mode 0444 whatever the daemon's umask, so an image's own user (<c>USER 1000</c>) reads it.
/// </summary>
public static class JobScriptFile
{
    /// <summary>Where the script is in the job's container.</summary>
    public const string ScriptPath = "/.gradient/script.sh";

    /// <summary>Writes a script job's script into <paramref name="jobDir"/>; the bind that mounts it, or none for other actions.</summary>
    public static async Task<IReadOnlyList<BindMount>> BindsAsync(string jobDir, JobPlan job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Action != WorkflowActions.Script)
        {
            return [];
        }

        var path = Path.Combine(jobDir, "script.sh");
        await File.WriteAllTextAsync(path, job.Script ?? string.Empty, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return [new BindMount(path, ScriptPath, ReadOnly: true)];
    }
}
