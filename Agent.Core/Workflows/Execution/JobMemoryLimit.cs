using System.Globalization;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>
/// The node's memory limit for CPU container jobs (<c>--workflow-job-memory</c>, node.yaml <c>workflowJobMemory</c>),
/// where it is below the job's instance type's memory: written on the job's container as
/// <see cref="Engine.ContainerLabels.JobMemory"/>, so that an out-of-memory kill at it is named as that setting's,
/// also after a daemon restart or a changed setting.
/// </summary>
public static class JobMemoryLimit
{
    /// <summary>How the setting is named in messages: the option and the node.yaml key.</summary>
    public const string Setting = "--workflow-job-memory, node.yaml workflowJobMemory";

    /// <summary>The FAILED message of a job killed at the node's limit (its container's label), else null.</summary>
    public static string? OomMessage(IReadOnlyDictionary<string, string> labels, long exitCode)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return labels.TryGetValue(Engine.ContainerLabels.JobMemory, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
            ? string.Create(CultureInfo.InvariantCulture, $"killed: out of memory at the node's {Describe(bytes)} memory limit for CPU jobs ({Setting}; raise it, or set none for the instance type's own memory) (exit code {exitCode})")
            : null;
    }

    /// <summary>
    /// The FAILED message of a job killed at its own limit (its instance type's memory, <paramref name="limitBytes"/>; 0 when
    /// the engine set none): before, a bare <c>killed: out of memory (exit code 137)</c> that did not say at what.
    /// </summary>
    public static string OwnOomMessage(long limitBytes, long exitCode) => limitBytes > 0
        ? string.Create(CultureInfo.InvariantCulture, $"killed: out of memory at its limit of {Describe(limitBytes)}, the memory of its instance type (exit code {exitCode})")
        : string.Create(CultureInfo.InvariantCulture, $"killed: out of memory (exit code {exitCode})");

    /// <summary><c>2 GiB</c>, <c>1.5 GiB</c>, <c>512 MiB</c>, or bytes under 1 MiB (<see cref="Common.ByteSize"/>).</summary>
    public static string Describe(long bytes) => Common.ByteSize.Describe(bytes);
}
