using System.Globalization;

namespace GradientNode.Core.Engine;

/// <summary>
/// The one cgroup every container of the node is created under (<c>HostConfig.CgroupParent</c>), so that their
/// processes are bounded together, not only each by its <c>PidsLimit</c>: eight fork-bombing containers of 4096 pids
/// each took every pid of a host whose <c>kernel.pid_max</c> is 32768. The parent is a systemd slice
/// (<c>--containers-cgroup</c>, <see cref="DefaultSlice"/>) whose <c>TasksMax=</c> install.sh sets; under the cgroupfs
/// driver the same slice's folder is the parent, and where nothing made it (no systemd: run.sh, tests) the node makes
/// it with a <c>pids.max</c> of <see cref="DefaultShare"/> of <c>pid_max</c>.
/// </summary>
public static class ContainersCgroup
{
    /// <summary>The default parent: <c>gradient.slice/gradient-node.slice/gradient-node-containers.slice</c> in the tree.</summary>
    public const string DefaultSlice = "gradient-node-containers.slice";

    /// <summary>The share of <c>kernel.pid_max</c> the node gives its containers together when it makes the parent itself (the slice's <c>TasksMax=75%</c>).</summary>
    public const double DefaultShare = 0.75;

    public const string Root = "/sys/fs/cgroup";

    /// <summary>
    /// <c>HostConfig.CgroupParent</c> for <paramref name="configured"/> (a slice name, or a cgroupfs path starting with
    /// <c>/</c>; empty: none) under the engine's cgroup driver: the slice as named for <c>systemd</c>, its folder
    /// (<see cref="SlicePath"/>) for <c>cgroupfs</c>; a path under <c>systemd</c> is passed as written (dockerd refuses it).
    /// </summary>
    public static string? ParentFor(string? configured, string cgroupDriver)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return null;
        }

        var systemd = string.Equals(cgroupDriver, "systemd", StringComparison.OrdinalIgnoreCase);
        return configured.StartsWith('/') || systemd ? configured : SlicePath(configured);
    }

    /// <summary>The cgroupfs path of a slice as systemd lays it out: <c>a-b-c.slice</c> is <c>/a.slice/a-b.slice/a-b-c.slice</c>.</summary>
    public static string SlicePath(string slice)
    {
        ArgumentException.ThrowIfNullOrEmpty(slice);
        if (slice.StartsWith('/'))
        {
            return slice;
        }

        var name = slice.EndsWith(".slice", StringComparison.Ordinal) ? slice[..^".slice".Length] : slice;
        var parts = name.Split('-', StringSplitOptions.RemoveEmptyEntries);
        return string.Concat(Enumerable.Range(1, parts.Length).Select(n => "/" + string.Join('-', parts.Take(n)) + ".slice"));
    }

    /// <summary>The folder whose <c>pids.max</c> bounds the containers: the unified tree (v2) or the pids hierarchy (v1).</summary>
    public static string Folder(string cgroupPath, string cgroupVersion, string root = Root) =>
        cgroupVersion == "1" ? Path.Join(root, "pids", cgroupPath) : Path.Join(root, cgroupPath);

    /// <summary><c>kernel.pid_max</c>; null where it cannot be read.</summary>
    public static long? PidMax(string file = "/proc/sys/kernel/pid_max") =>
        ReadNumber(file);

    /// <summary>The <c>pids.max</c> of <paramref name="folder"/>: a number, <see cref="long.MaxValue"/> for <c>max</c>, null where there is none.</summary>
    public static long? PidsMax(string folder) =>
        File.Exists(Path.Join(folder, "pids.max")) && File.ReadAllText(Path.Join(folder, "pids.max")).Trim() == "max"
            ? long.MaxValue
            : ReadNumber(Path.Join(folder, "pids.max"));

    /// <summary>
    /// Makes <paramref name="cgroupPath"/> (cgroupfs) with a <c>pids.max</c> of <paramref name="limit"/> where it does
    /// not exist yet; a folder that exists (systemd's slice, an earlier start) is left as it is. v2: the pids
    /// controller is enabled in each folder above it first. Returns the <c>pids.max</c> it then has, null where the
    /// tree is read-only or has no pids controller (the caller warns).
    /// </summary>
    public static long? Prepare(string cgroupPath, string cgroupVersion, long limit, string root = Root)
    {
        var folder = Folder(cgroupPath, cgroupVersion, root);
        try
        {
            if (!Directory.Exists(folder))
            {
                if (cgroupVersion != "1")
                {
                    var above = root;
                    foreach (var part in cgroupPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
                    {
                        File.AppendAllText(Path.Join(above, "cgroup.subtree_control"), "+pids");
                        above = Path.Join(above, part);
                        Directory.CreateDirectory(above);
                    }
                }

                Directory.CreateDirectory(folder);
                File.WriteAllText(Path.Join(folder, "pids.max"), limit.ToString(CultureInfo.InvariantCulture));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Read-only (ProtectControlGroups=) or no pids controller: PidsMax says what there is, Warning says what to do.
        }

        return PidsMax(folder);
    }

    /// <summary>The limit the node sets on a parent it makes: <see cref="DefaultShare"/> of <c>pid_max</c>.</summary>
    public static long DefaultLimit(long pidMax) => (long)(pidMax * DefaultShare);

    /// <summary>
    /// Null when the containers are bounded together below <c>pid_max</c>; else what the operator should do.
    /// <paramref name="pidsMax"/> is the parent's (null: none found, <see cref="long.MaxValue"/>: <c>max</c>).
    /// </summary>
    public static string? Warning(string? parent, long? pidsMax, long? pidMax, long pidsLimit, int maxReplicas)
    {
        if (pidMax is not { } hostMax)
        {
            return null;
        }

        if (parent is null)
        {
            return pidsLimit <= 0 || (long)maxReplicas * pidsLimit >= hostMax || maxReplicas == 0
                ? $"containers are not bounded together (--containers-cgroup is off): {(maxReplicas == 0 ? "any number of" : maxReplicas.ToString(CultureInfo.InvariantCulture))} containers of --pids-limit {(pidsLimit <= 0 ? "none" : pidsLimit.ToString(CultureInfo.InvariantCulture))} can take every pid of the host (kernel.pid_max {hostMax}); set --containers-cgroup {DefaultSlice}"
                : null;
        }

        return pidsMax is { } max && max < hostMax
            ? null
            : $"containers are not bounded together: their cgroup {parent} has {(pidsMax is null ? "no pids.max" : "pids.max max")}, so fork-bombing containers can take every pid of the host (kernel.pid_max {hostMax}); install its slice with TasksMax=75% (install.sh) or run 'systemctl set-property {(parent.StartsWith('/') ? DefaultSlice : parent)} TasksMax=75%'";
    }

    /// <summary>
    /// What <c>node</c> and the start warn of for an engine at <paramref name="engineHost"/> with <paramref name="info"/>:
    /// null when the containers are bounded together, or when the engine is not on this host (its cgroups are not ours to read).
    /// </summary>
    public static string? Check(string? configured, string engineHost, EngineInfo info, long pidsLimit, int maxReplicas, string root = Root, string pidMaxFile = "/proc/sys/kernel/pid_max")
    {
        ArgumentNullException.ThrowIfNull(info);
        if (!engineHost.StartsWith("unix://", StringComparison.Ordinal))
        {
            return null;
        }

        var parent = ParentFor(configured, info.CgroupDriver);
        var folder = parent is null ? null : Folder(SlicePath(parent), info.CgroupVersion, root);
        if (folder is not null && !Directory.Exists(folder) && !string.Equals(info.CgroupDriver, "systemd", StringComparison.OrdinalIgnoreCase))
        {
            return null; // cgroupfs: the node makes it, with its limit, at its first create (and warns then if it cannot)
        }

        return Warning(parent, folder is null ? null : PidsMax(folder), PidMax(pidMaxFile), pidsLimit, maxReplicas);
    }

    private static long? ReadNumber(string file)
    {
        try
        {
            return long.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
