using System.Globalization;
using Docker.DotNet.Models;

namespace GradientNode.Core.Engine;

/// <summary>
/// Pure mapping between our engine records (EngineModels.cs) and Docker.DotNet's models. Everything a
/// <see cref="ContainerCreateRequest"/> carries is mapped in <see cref="ToCreateParameters"/>; nothing else here
/// decides anything beyond the arithmetic of CPU% and the defaults the Engine API wants.
/// </summary>
internal static class DockerModelMapper
{
    public static EngineVersion ToVersion(VersionResponse v) =>
        new(v.Version ?? "", v.APIVersion ?? "", v.MinAPIVersion ?? "", v.Os ?? "", v.Arch ?? "", v.KernelVersion ?? "");

    public static EngineInfo ToInfo(SystemInfoResponse i) =>
        new(
            i.Name ?? "",
            i.ServerVersion ?? "",
            i.Runtimes is null ? [] : [.. i.Runtimes.Keys.Order(StringComparer.Ordinal)],
            i.DefaultRuntime ?? "",
            i.CgroupDriver ?? "",
            i.CgroupVersion ?? "",
            i.LiveRestoreEnabled);

    public static ImageDetails ToImageDetails(ImageInspectResponse i) =>
        new(
            i.ID ?? "",
            i.RepoTags is null ? [] : [.. i.RepoTags],
            i.Config?.Entrypoint is { } entrypoint ? [.. entrypoint] : null,
            i.Config?.Cmd is { } cmd ? [.. cmd] : null,
            i.Config?.ExposedPorts is { } ports ? [.. ports.Keys.Select(ParsePort).OfType<int>().Order()] : [],
            i.Config?.Labels is { } labels ? new Dictionary<string, string>(labels, StringComparer.Ordinal) : null,
            i.Config?.Env is { } env ? [.. env] : null);

    /// <summary>Credentials for <c>X-Registry-Auth</c> (the library encodes the header; it is never logged).</summary>
    public static AuthConfig ToAuthConfig(RegistryAuth auth) =>
        new() { Username = auth.Username, Password = auth.Password, ServerAddress = auth.ServerAddress };

    public static PullProgress ToPullProgress(JSONMessage m) =>
        new(m.Status ?? "", m.ID, m.Progress?.Current, m.Progress?.Total);

    /// <summary>
    /// <c>POST /containers/create</c>. Empty lists stay unset (null), so the image's defaults apply.
    /// </summary>
    public static CreateContainerParameters ToCreateParameters(ContainerCreateRequest r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new CreateContainerParameters
        {
            Name = r.Name,
            Image = r.Image,
            Entrypoint = r.Entrypoint is null ? null! : [.. r.Entrypoint],
            Cmd = r.Cmd is null ? null! : [.. r.Cmd],
            Env = r.Env.Count == 0 ? null! : [.. r.Env],
            // What CapDrop drops, as a label beside it: a replica is never replaced for a capability its creator dropped.
            Labels = new Dictionary<string, string>(r.Labels) { [ContainerLabels.CapDrop] = string.Join(',', ContainerCapabilities.Dropped) },
            ExposedPorts = r.ExposedPorts.Count == 0
                ? null
                : r.ExposedPorts.Distinct().ToDictionary(p => string.Create(CultureInfo.InvariantCulture, $"{p}/tcp"), _ => default(EmptyStruct)),
            HostConfig = ToHostConfig(r),
        };
    }

    public static HostConfig ToHostConfig(ContainerCreateRequest r) =>
        new()
        {
            Runtime = r.Runtime,
            DeviceRequests = r.Gpus is null ? null! : [ToDeviceRequest(r.Gpus)],
            // Typed mounts, never "src:dst:ro" strings: a ':' or ',' in a path is just a character.
            Mounts = r.Binds.Count == 0 ? null! : [.. r.Binds.Select(b => new Mount { Type = "bind", Source = b.Source, Target = b.Target, ReadOnly = b.ReadOnly })],
            NetworkMode = r.NetworkMode ?? "",
            Memory = r.MemoryBytes ?? 0,
            NanoCPUs = r.NanoCpus ?? 0,
            PidsLimit = r.PidsLimit,
            CgroupParent = r.CgroupParent ?? "",
            CapDrop = [.. ContainerCapabilities.Dropped], // no packet sockets: ARP spoofing of other replicas
            LogConfig = r.Log is { } log
                ? new LogConfig
                {
                    Type = "json-file",
                    Config = new Dictionary<string, string>
                    {
                        ["max-size"] = log.MaxSize,
                        ["max-file"] = log.MaxFiles.ToString(CultureInfo.InvariantCulture),
                    },
                }
                : null!,
        };

    /// <summary>Docker refuses Count together with DeviceIDs: ids win (Count stays 0); without ids, Count 0 means all (-1).</summary>
    public static DeviceRequest ToDeviceRequest(GpuRequest gpus) =>
        new()
        {
            Driver = "nvidia",
            DeviceIDs = gpus.DeviceIds.Count > 0 ? [.. gpus.DeviceIds] : null!,
            Count = gpus.DeviceIds.Count > 0 ? 0 : gpus.Count == 0 ? -1 : gpus.Count,
            Capabilities = [new List<string> { "gpu" }],
        };

    public static ContainerDetails ToDetails(ContainerInspectResponse c)
    {
        var s = c.State;
        var state = new ContainerState(
            s?.Status ?? "",
            s?.Running ?? false,
            s?.Restarting ?? false,
            s?.OOMKilled ?? false,
            (int)(s?.ExitCode ?? 0),
            string.IsNullOrEmpty(s?.Error) ? null : s.Error,
            DockerTimestamps.Parse(s?.StartedAt),
            DockerTimestamps.Parse(s?.FinishedAt));
        return new ContainerDetails(
            c.ID,
            (c.Name ?? "").TrimStart('/'),
            c.Config?.Image is { Length: > 0 } configured ? configured : c.Image ?? "",
            Labels(c.Config?.Labels),
            state,
            IpAddressOf(c.NetworkSettings),
            DockerTimestamps.FromDateTime(c.Created) ?? DateTimeOffset.UnixEpoch,
            (int)c.RestartCount,
            c.Config?.ExposedPorts is { } exposed ? [.. exposed.Keys.Select(ParsePort).OfType<int>().Distinct().Order()] : [])
        {
            CapDrop = c.HostConfig?.CapDrop is { } dropped ? [.. dropped] : [],
            Pid = (int)(s?.Pid ?? 0),
            MemoryLimit = c.HostConfig?.Memory ?? 0,
        };
    }

    public static ContainerSummary ToSummary(ContainerListResponse c) =>
        new(
            c.ID,
            c.Names is [var first, ..] ? first.TrimStart('/') : "",
            c.Image ?? "",
            Labels(c.Labels),
            c.State ?? "",
            c.Status ?? "",
            DockerTimestamps.FromDateTime(c.Created) ?? DateTimeOffset.UnixEpoch)
        {
            Mounts = [.. (c.Mounts ?? []).Where(m => m.Type == "bind").Select(m => new BindMount(m.Source ?? "", m.Destination ?? "", !m.RW))],
            Networks = [.. (c.NetworkSettings?.Networks?.Keys ?? []).Order(StringComparer.Ordinal)],
        };

    public static EngineEvent ToEvent(Message e) =>
        new(
            e.Type ?? "",
            e.Action ?? "",
            e.Actor?.ID ?? "",
            Labels(e.Actor?.Attributes),
            e.TimeNano is > 0 and var nanos
                ? DateTimeOffset.UnixEpoch.AddTicks(nanos / 100)
                : DateTimeOffset.FromUnixTimeSeconds(e.Time ?? 0));

    /// <summary><c>{"label": {…: true}}</c> (and <c>"type": {"container": true}</c> for events), the map form of filters.</summary>
    public static Dictionary<string, IDictionary<string, bool>> LabelFilters(IReadOnlyCollection<string> labels, bool withType)
    {
        var filters = new Dictionary<string, IDictionary<string, bool>>(StringComparer.Ordinal);
        if (withType)
        {
            filters["type"] = new Dictionary<string, bool>(StringComparer.Ordinal) { ["container"] = true };
        }

        if (labels.Count > 0)
        {
            filters["label"] = labels.Distinct(StringComparer.Ordinal).ToDictionary(l => l, _ => true, StringComparer.Ordinal);
        }

        return filters;
    }

    /// <summary>
    /// CPU% = (container cpu delta / system cpu delta) × online cpus × 100, between precpu and cpu stats;
    /// 0 when precpu is empty (the caller then samples again). Memory = usage minus page cache
    /// (cgroup v1 <c>cache</c>, cgroup v2 <c>inactive_file</c>), as <c>docker stats</c> shows it.
    /// <paramref name="now"/> stands in for a missing <c>read</c> time.
    /// </summary>
    public static ContainerStats ToStats(ContainerStatsResponse s, DateTimeOffset now)
    {
        var cpu = s.CPUStats;
        var pre = s.PreCPUStats;
        var onlineCpus = cpu is null ? 0 : cpu.OnlineCPUs is > 0 and var online ? (int)online : cpu.CPUUsage?.PercpuUsage?.Count ?? 0;
        double cpuPercent = 0;
        if (HasSample(cpu) && HasSample(pre))
        {
            var cpuDelta = (double)cpu!.CPUUsage!.TotalUsage - pre!.CPUUsage!.TotalUsage;
            var systemDelta = (double)cpu.SystemUsage!.Value - pre.SystemUsage!.Value;
            if (cpuDelta > 0 && systemDelta > 0)
            {
                cpuPercent = cpuDelta / systemDelta * onlineCpus * 100.0;
            }
        }

        var memory = s.MemoryStats;
        var usage = memory?.Usage ?? 0;
        var cache = memory?.Stats is { } stats
            ? stats.TryGetValue("cache", out var v1) ? v1 : stats.TryGetValue("inactive_file", out var v2) ? v2 : 0
            : 0;
        return new ContainerStats(
            DockerTimestamps.FromDateTime(s.Read) ?? now,
            cpuPercent,
            Clamp(usage > cache ? usage - cache : usage),
            Clamp(memory?.Limit ?? 0),
            onlineCpus);
    }

    /// <summary>True when the stats carry a previous sample to compute CPU% against.</summary>
    public static bool HasPreviousSample(ContainerStatsResponse s) => HasSample(s.PreCPUStats);

    private static bool HasSample(CPUStats? s) => s is { SystemUsage: > 0, CPUUsage.TotalUsage: > 0 };

    private static Dictionary<string, string> Labels(IDictionary<string, string>? labels) =>
        labels is null ? new(StringComparer.Ordinal) : new(labels, StringComparer.Ordinal);

    private static long Clamp(ulong value) => value > long.MaxValue ? long.MaxValue : (long)value;

    private static int? ParsePort(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return int.TryParse(slash < 0 ? key : key[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : null;
    }

    /// <summary>The first network's address (the library's models no longer carry the deprecated top-level one).</summary>
    private static string? IpAddressOf(NetworkSettings? n) =>
        n?.Networks?.Values.Select(e => e.IPAddress).FirstOrDefault(ip => !string.IsNullOrEmpty(ip));
}
