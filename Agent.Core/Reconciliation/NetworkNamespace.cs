namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Whether a running replica's network namespace still has an interface besides <c>lo</c>, read from
/// <c>/proc/PID/net/dev</c> of its first process on this host. The engine keeps reporting the address a container was given
/// after its interface is gone (its veth deleted, its sandbox lost while dockerd was down with live-restore), so the
/// replica runs, is never ready (its address does not answer) and, without a liveness probe, was never replaced.
/// Only a process whose <c>/proc/PID/cgroup</c> names the container's id is read: an engine on another host (its pid
/// means another process here), a pid gone, or a <c>/proc</c> the node cannot read all count as "not known".
/// </summary>
internal static class NetworkNamespace
{
    /// <summary>True only when the process is the container's and its namespace lists no interface but <c>lo</c>.</summary>
    public static bool OnlyLoopback(string? procRoot, int pid, string containerId)
    {
        if (procRoot is null || pid <= 0 || containerId.Length < 12)
        {
            return false;
        }

        try
        {
            var process = Path.Combine(procRoot, pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!File.ReadAllText(Path.Combine(process, "cgroup")).Contains(containerId, StringComparison.Ordinal))
            {
                return false;
            }

            // "Inter-|   Receive …", " face |bytes …", then one "  name: counters" line per interface.
            var interfaces = File.ReadLines(Path.Combine(process, "net", "dev"))
                .Skip(2)
                .Select(line => line.Split(':', 2)[0].Trim())
                .Where(name => name.Length > 0)
                .ToList();
            return interfaces.Count > 0 && interfaces.All(name => name == "lo");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
