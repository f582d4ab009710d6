using System.Globalization;

namespace GradientNode.Core.Engine;

/// <summary>Hand-written mapping between the public engine records and the Docker wire DTOs.</summary>
internal static class DockerWireMapper
{
    public static EngineVersion ToVersion(WireVersion v) =>
        new(v.Version ?? "", v.ApiVersion ?? "", v.MinApiVersion ?? "", v.Os ?? "", v.Arch ?? "", v.KernelVersion ?? "");

    public static EngineInfo ToInfo(WireInfo i) =>
        new(
            i.Name ?? "",
            i.ServerVersion ?? "",
            i.Runtimes is null ? [] : [.. i.Runtimes.Keys.Order(StringComparer.Ordinal)],
            i.DefaultRuntime ?? "",
            i.CgroupDriver ?? "",
            i.CgroupVersion ?? "",
            i.LiveRestoreEnabled);

    public static ImageDetails ToImageDetails(WireImageInspect i) =>
        new(
            i.Id ?? "",
            i.RepoTags ?? [],
            i.Config?.Entrypoint,
            i.Config?.Cmd,
            i.Config?.ExposedPorts is { } ports ? [.. ports.Keys.Select(ParsePort).OfType<int>().Order()] : []);

    public static WireContainerCreate ToWire(ContainerCreateRequest r) =>
        new()
        {
            Image = r.Image,
            Entrypoint = r.Entrypoint is null ? null : [.. r.Entrypoint],
            Cmd = r.Cmd is null ? null : [.. r.Cmd],
            Env = r.Env.Count == 0 ? null : [.. r.Env],
            Labels = r.Labels.Count == 0 ? null : new Dictionary<string, string>(r.Labels),
            ExposedPorts = r.ExposedPorts.Count == 0
                ? null
                : r.ExposedPorts.Distinct().ToDictionary(p => string.Create(CultureInfo.InvariantCulture, $"{p}/tcp"), _ => new WireEmpty()),
            HostConfig = new WireHostConfig
            {
                Runtime = r.Runtime,
                DeviceRequests = r.Gpus is null ? null : [ToDeviceRequest(r.Gpus)],
                Mounts = r.Binds.Count == 0 ? null : [.. r.Binds.Select(b => new WireMount { Type = "bind", Source = b.Source, Target = b.Target, ReadOnly = b.ReadOnly })],
                PidsLimit = r.PidsLimit,
                LogConfig = r.Log is { } log
                    ? new WireLogConfig
                    {
                        Type = "json-file",
                        Config = new Dictionary<string, string>
                        {
                            ["max-size"] = log.MaxSize,
                            ["max-file"] = log.MaxFiles.ToString(CultureInfo.InvariantCulture),
                        },
                    }
                    : null,
                NetworkMode = r.NetworkMode,
                Memory = r.MemoryBytes,
                NanoCpus = r.NanoCpus,
            },
        };

    /// <summary>Docker refuses Count together with DeviceIDs: ids win; without ids, Count 0 means all (-1).</summary>
    public static WireDeviceRequest ToDeviceRequest(GpuRequest gpus) =>
        new()
        {
            Driver = "nvidia",
            DeviceIds = gpus.DeviceIds.Count > 0 ? [.. gpus.DeviceIds] : null,
            Count = gpus.DeviceIds.Count > 0 ? null : gpus.Count == 0 ? -1 : gpus.Count,
            Capabilities = [["gpu"]],
        };

    public static ContainerDetails ToDetails(WireContainerInspect c)
    {
        var s = c.State;
        var state = new ContainerState(
            s?.Status ?? "",
            s?.Running ?? false,
            s?.Restarting ?? false,
            s?.OomKilled ?? false,
            s?.ExitCode ?? 0,
            string.IsNullOrEmpty(s?.Error) ? null : s.Error,
            DockerTimestamps.Parse(s?.StartedAt),
            DockerTimestamps.Parse(s?.FinishedAt));
        return new ContainerDetails(
            c.Id,
            (c.Name ?? "").TrimStart('/'),
            c.Config?.Image ?? c.Image ?? "",
            c.Config?.Labels ?? [],
            state,
            IpAddressOf(c.NetworkSettings),
            DockerTimestamps.Parse(c.Created) ?? DateTimeOffset.UnixEpoch,
            c.RestartCount);
    }

    public static ContainerSummary ToSummary(WireContainerSummary c) =>
        new(
            c.Id,
            c.Names is [var first, ..] ? first.TrimStart('/') : "",
            c.Image ?? "",
            c.Labels ?? [],
            c.State ?? "",
            c.Status ?? "",
            DateTimeOffset.FromUnixTimeSeconds(c.Created));

    public static EngineEvent ToEvent(WireEvent e) =>
        new(
            e.Type ?? "",
            e.Action ?? "",
            e.Actor?.Id ?? "",
            e.Actor?.Attributes ?? [],
            e.TimeNano > 0
                ? DateTimeOffset.UnixEpoch.AddTicks(e.TimeNano / 100)
                : DateTimeOffset.FromUnixTimeSeconds(e.Time));

    /// <summary>
    /// CPU% = (container cpu delta / system cpu delta) × online cpus × 100, between precpu and cpu stats;
    /// 0 when precpu is empty (the caller then samples again). Memory = usage minus page cache
    /// (cgroup v1 <c>cache</c>, cgroup v2 <c>inactive_file</c>), as <c>docker stats</c> shows it.
    /// </summary>
    public static ContainerStats ToStats(WireStats s)
    {
        var cpu = s.CpuStats;
        var pre = s.PrecpuStats;
        var onlineCpus = cpu is null ? 0 : cpu.OnlineCpus > 0 ? cpu.OnlineCpus : cpu.CpuUsage?.PercpuUsage?.Count ?? 0;
        double cpuPercent = 0;
        if (HasSample(cpu) && HasSample(pre))
        {
            var cpuDelta = (double)cpu!.CpuUsage!.TotalUsage - pre!.CpuUsage!.TotalUsage;
            var systemDelta = (double)cpu.SystemCpuUsage - pre.SystemCpuUsage;
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
            DockerTimestamps.Parse(s.Read) ?? DateTimeOffset.UtcNow,
            cpuPercent,
            Clamp(usage > cache ? usage - cache : usage),
            Clamp(memory?.Limit ?? 0),
            onlineCpus);
    }

    /// <summary>True when the stats carry a previous sample to compute CPU% against.</summary>
    public static bool HasPreviousSample(WireStats s) => HasSample(s.PrecpuStats);

    /// <summary>Maps an <c>error</c> from a pull (stream line or HTTP error body) to a typed exception.</summary>
    public static EngineException ToPullException(string image, string message, int statusCode)
    {
        var text = $"pull of '{image}' failed: {message}";
        if (ContainsAny(message, "unauthorized", "no basic auth credentials", "denied", "authentication required"))
        {
            return new ImagePullDeniedException(image, text);
        }

        if (ContainsAny(message, "not found", "manifest unknown", "does not exist"))
        {
            return new ImageNotFoundException(image, text);
        }

        return new EngineException(text, statusCode);
    }

    private static bool HasSample(WireCpuStats? s) => s is { SystemCpuUsage: > 0, CpuUsage.TotalUsage: > 0 };

    private static bool ContainsAny(string text, params string[] needles) =>
        needles.Any(n => text.Contains(n, StringComparison.OrdinalIgnoreCase));

    private static long Clamp(ulong value) => value > long.MaxValue ? long.MaxValue : (long)value;

    private static int? ParsePort(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return int.TryParse(slash < 0 ? key : key[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : null;
    }

    private static string? IpAddressOf(WireNetworkSettings? n)
    {
        if (!string.IsNullOrEmpty(n?.IpAddress))
        {
            return n.IpAddress;
        }

        return n?.Networks?.Values.Select(e => e.IpAddress).FirstOrDefault(ip => !string.IsNullOrEmpty(ip));
    }
}
