using System.Globalization;
using GradientNode.Daemon.Cli;

namespace GradientNode.Daemon.Configuration;

/// <summary>
/// <c>--workflow-job-memory</c> (node.yaml <c>workflowJobMemory</c>): the most memory a CPU workflow job gets (its
/// instance type's when less), as a size (<c>512M</c>, <c>8G</c>), a share of the host's <c>MemTotal</c> (<c>50%</c>, the default)
/// or <c>0</c>/<c>none</c> for the instance type's memory alone.
/// </summary>
internal static class JobMemoryText
{
    /// <summary>Half the host: one runaway job leaves the other half to the node, the engine and the other containers.</summary>
    public const int DefaultPercent = 50;

    /// <summary>The least memory limit Docker takes (its own check refuses less).</summary>
    public const long EngineMinimum = 6L << 20;

    /// <summary>The default: <see cref="DefaultPercent"/> of <paramref name="hostMemory"/>; none when the host's memory is unknown.</summary>
    public static long Default(long? hostMemory) => hostMemory is { } total ? total * DefaultPercent / 100 : 0;

    /// <summary>The limit in bytes, 0 for none; bad text is a usage error naming <paramref name="option"/>.</summary>
    public static long Parse(string text, string option, long? hostMemory)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed is "0" or "none")
        {
            return 0;
        }

        long bytes;
        if (trimmed.EndsWith('%'))
        {
            if (!int.TryParse(trimmed[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var percent) || percent is < 1 or > 100)
            {
                throw new UsageException($"{option} wants a share of the host's memory from 1% to 100%, got '{text}'");
            }

            bytes = hostMemory is { } total
                ? total * percent / 100
                : throw new UsageException($"{option} is '{text}', a share of the host's memory, but /proc/meminfo gives no MemTotal: give a size such as 8G");
        }
        else
        {
            try
            {
                bytes = ByteSizeText.Parse(trimmed, option);
            }
            catch (UsageException)
            {
                throw new UsageException($"{option} wants a size such as 512M or 8G, a share of the host's memory such as 50%, or none, got '{text}'");
            }
        }

        return bytes >= EngineMinimum
            ? bytes
            : throw new UsageException($"{option} is at least 6M (Docker's least memory limit), got '{text}'");
    }
}
