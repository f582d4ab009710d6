using Docker.DotNet.Models;
using GradientNode.Core.Engine;
using NUnit.Framework;

namespace GradientNode.Tests.Engine;

[TestFixture]
[Category("Unit")]
internal sealed class DockerModelMapperTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void ToStats_WithPreviousSample_ComputesCpuPercentAndMemoryWithoutCache()
    {
        var stats = new ContainerStatsResponse
        {
            Read = new DateTime(2026, 11, 22, 7, 39, 27, DateTimeKind.Utc),
            CPUStats = Cpu(3_000_000_000, 20_000_000_000, onlineCpus: 2),
            PreCPUStats = Cpu(2_000_000_000, 16_000_000_000, onlineCpus: 2),
            MemoryStats = new MemoryStats { Usage = 10_000_000, Limit = 2_000_000_000, Stats = new Dictionary<string, ulong> { ["cache"] = 4_000_000 } },
        };

        var result = DockerModelMapper.ToStats(stats, Now);

        Assert.Multiple(() =>
        {
            Assert.That(result.CpuPercent, Is.EqualTo(50.0).Within(0.001)); // 1e9 / 4e9 × 2 × 100
            Assert.That(result.MemoryUsageBytes, Is.EqualTo(6_000_000));
            Assert.That(result.MemoryLimitBytes, Is.EqualTo(2_000_000_000));
            Assert.That(result.OnlineCpus, Is.EqualTo(2));
            Assert.That(result.Read, Is.EqualTo(new DateTimeOffset(2026, 11, 22, 7, 39, 27, TimeSpan.Zero)));
        });
    }

    [Test]
    public void ToStats_EmptyPrecpu_ReportsZeroCpuAndNoPreviousSample()
    {
        var cpu = Cpu(5, 9, onlineCpus: null);
        cpu.CPUUsage.PercpuUsage = [1, 2, 2];
        var stats = new ContainerStatsResponse
        {
            CPUStats = cpu,
            PreCPUStats = Cpu(0, 0, onlineCpus: null),
            MemoryStats = new MemoryStats { Usage = 100, Stats = new Dictionary<string, ulong> { ["inactive_file"] = 40 } },
        };

        var result = DockerModelMapper.ToStats(stats, Now);

        Assert.Multiple(() =>
        {
            Assert.That(DockerModelMapper.HasPreviousSample(stats), Is.False);
            Assert.That(result.CpuPercent, Is.Zero);
            Assert.That(result.OnlineCpus, Is.EqualTo(3));
            Assert.That(result.MemoryUsageBytes, Is.EqualTo(60));
            Assert.That(result.Read, Is.EqualTo(Now), "no read time: the caller's clock");
        });
    }

    [Test]
    public void ToCreateParameters_FullRequest_MapsEveryField()
    {
        var request = new ContainerCreateRequest
        {
            Name = "app-1",
            Image = "gradient-test/web:1",
            Entrypoint = ["/bin/sh", "-c", "echo hi"],
            Env = ["A=1"],
            Labels = new Dictionary<string, string> { ["gradient.deployment"] = "app" },
            ExposedPorts = [8080, 8080],
            Runtime = "nvidia",
            Gpus = new GpuRequest(["0", "1"]),
            Binds = [new BindMount("/data", "/opt/data", ReadOnly: true), new BindMount("/a:/etc", "/b,ro", ReadOnly: false)],
            NetworkMode = "bridge",
            MemoryBytes = 1024,
            NanoCpus = 500_000_000,
            PidsLimit = 4096,
            CgroupParent = "gradient-node-containers.slice",
            Log = new LogRotation("10m", 3),
        };

        var p = DockerModelMapper.ToCreateParameters(request);

        var gpu = p.HostConfig!.DeviceRequests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(p.Name, Is.EqualTo("app-1"));
            Assert.That(p.Image, Is.EqualTo("gradient-test/web:1"));
            Assert.That(p.Entrypoint, Is.EqualTo(new[] { "/bin/sh", "-c", "echo hi" }));
            Assert.That(p.Cmd, Is.Null);
            Assert.That(p.Env, Is.EqualTo(new[] { "A=1" }));
            Assert.That(p.Labels, Is.EquivalentTo(new Dictionary<string, string> { ["gradient.deployment"] = "app", ["gradient.cap-drop"] = "NET_RAW" }), "what CapDrop drops, labeled beside it");
            Assert.That(p.ExposedPorts!.Keys, Is.EqualTo(new[] { "8080/tcp" }));
            Assert.That(p.HostConfig.Runtime, Is.EqualTo("nvidia"));
            Assert.That(p.HostConfig.CgroupParent, Is.EqualTo("gradient-node-containers.slice"));
            Assert.That(p.HostConfig.Binds, Is.Null, "never src:dst:ro strings");
            Assert.That(p.HostConfig.Mounts!.Select(m => (m.Type, m.Source, m.Target, m.ReadOnly)), Is.EqualTo(new[] { ("bind", "/data", "/opt/data", true), ("bind", "/a:/etc", "/b,ro", false) }));
            Assert.That(p.HostConfig.PidsLimit, Is.EqualTo(4096));
            Assert.That(p.HostConfig.CapDrop, Is.EqualTo(new[] { "NET_RAW" }), "no packet sockets (ARP spoofing of other replicas)");
            Assert.That(p.HostConfig.LogConfig.Type, Is.EqualTo("json-file"));
            Assert.That(p.HostConfig.LogConfig.Config, Is.EquivalentTo(new Dictionary<string, string> { ["max-size"] = "10m", ["max-file"] = "3" }));
            Assert.That(p.HostConfig.NetworkMode, Is.EqualTo("bridge"));
            Assert.That(p.HostConfig.Memory, Is.EqualTo(1024));
            Assert.That(p.HostConfig.NanoCPUs, Is.EqualTo(500_000_000));
            Assert.That(gpu.Driver, Is.EqualTo("nvidia"));
            Assert.That(gpu.DeviceIDs, Is.EqualTo(new[] { "0", "1" }));
            Assert.That(gpu.Count, Is.Zero, "Docker refuses Count together with DeviceIDs");
            Assert.That(gpu.Capabilities, Is.EqualTo(new[] { new[] { "gpu" } }));
        });
    }

    [Test]
    public void ToCreateParameters_MinimalRequest_LeavesImageDefaultsAlone()
    {
        var p = DockerModelMapper.ToCreateParameters(new ContainerCreateRequest { Name = "x", Image = "y" });

        Assert.Multiple(() =>
        {
            Assert.That(p.Entrypoint, Is.Null);
            Assert.That(p.Cmd, Is.Null);
            Assert.That(p.Env, Is.Null);
            Assert.That(p.ExposedPorts, Is.Null);
            Assert.That(p.HostConfig!.Runtime, Is.Null);
            Assert.That(p.HostConfig.DeviceRequests, Is.Null);
            Assert.That(p.HostConfig.Mounts, Is.Null);
            Assert.That(p.HostConfig.PidsLimit, Is.Null);
            Assert.That(p.HostConfig.LogConfig, Is.Null);
            Assert.That(p.HostConfig.NetworkMode, Is.Empty);
            Assert.That(p.HostConfig.Memory, Is.Zero);
        });
    }

    [Test]
    public void ToDeviceRequest_NoIds_RequestsAllGpus()
    {
        var request = DockerModelMapper.ToDeviceRequest(new GpuRequest([]));

        Assert.Multiple(() =>
        {
            Assert.That(request.Count, Is.EqualTo(-1));
            Assert.That(request.DeviceIDs, Is.Null);
        });
    }

    [Test]
    public void ToDetails_IpOnlyInNetworksAndZeroFinishTime_MapsIpAndNullTime()
    {
        var inspect = new ContainerInspectResponse
        {
            ID = "abc",
            Name = "/app-1",
            Created = new DateTime(2026, 11, 22, 7, 39, 26, DateTimeKind.Utc),
            RestartCount = 2,
            Config = new ContainerConfig { Image = "gradient-test/web:1", Labels = new Dictionary<string, string> { ["k"] = "v" } },
            State = new State { Status = "running", Running = true, StartedAt = "2026-11-22T07:39:26.119689526Z", FinishedAt = "0001-01-01T00:00:00Z" },
            NetworkSettings = new NetworkSettings { Networks = new Dictionary<string, EndpointSettings> { ["custom"] = new() { IPAddress = "10.1.2.3" } } },
            HostConfig = new HostConfig { CapDrop = ["NET_RAW"] },
        };

        var details = DockerModelMapper.ToDetails(inspect);

        Assert.Multiple(() =>
        {
            Assert.That(details.Name, Is.EqualTo("app-1"));
            Assert.That(details.Image, Is.EqualTo("gradient-test/web:1"));
            Assert.That(details.IpAddress, Is.EqualTo("10.1.2.3"));
            Assert.That(details.State.Error, Is.Null);
            Assert.That(details.State.StartedAt, Is.EqualTo(new DateTimeOffset(2026, 11, 22, 7, 39, 26, TimeSpan.Zero).AddTicks(1196895)));
            Assert.That(details.State.FinishedAt, Is.Null);
            Assert.That(details.Created.Year, Is.EqualTo(2026));
            Assert.That(details.RestartCount, Is.EqualTo(2));
            Assert.That(details.Labels["k"], Is.EqualTo("v"));
            Assert.That(details.CapDrop, Is.EqualTo(new[] { "NET_RAW" }));
        });
    }

    [Test]
    public void ToDetails_NoAddress_IpIsNull()
    {
        var inspect = new ContainerInspectResponse
        {
            ID = "abc",
            NetworkSettings = new NetworkSettings { Networks = new Dictionary<string, EndpointSettings> { ["bridge"] = new() } },
        };

        Assert.That(DockerModelMapper.ToDetails(inspect).IpAddress, Is.Null);
    }

    [Test]
    public void ToDetails_ExposedPorts_ParsedDistinctAndInOrder()
    {
        var inspect = new ContainerInspectResponse
        {
            ID = "abc",
            Config = new ContainerConfig { ExposedPorts = new Dictionary<string, EmptyStruct> { ["9090/tcp"] = default, ["8080/tcp"] = default, ["8080/udp"] = default } },
        };

        Assert.That(DockerModelMapper.ToDetails(inspect).ExposedPorts, Is.EqualTo(new[] { 8080, 9090 }));
    }

    [Test]
    public void ToSummary_AttachedToTwoNetworks_ListsTheirNamesInOrder()
    {
        var listed = new ContainerListResponse
        {
            ID = "abc",
            Names = ["/app-1"],
            NetworkSettings = new NetworkSettingsSummary { Networks = new Dictionary<string, EndpointSettings> { ["gradient-node"] = new(), ["bridge"] = new() } },
        };

        Assert.That(DockerModelMapper.ToSummary(listed).Networks, Is.EqualTo(new[] { "bridge", "gradient-node" }));
    }

    [Test]
    public void ToEvent_TimeNano_KeepsSubSecondPrecision()
    {
        var message = new Message
        {
            Type = "container",
            Action = "die",
            Actor = new Actor { ID = "abc", Attributes = new Dictionary<string, string> { ["exitCode"] = "0" } },
            Time = 1700000000,
            TimeNano = 1700000000123456789,
        };

        var e = DockerModelMapper.ToEvent(message);

        Assert.Multiple(() =>
        {
            Assert.That(e.Action, Is.EqualTo("die"));
            Assert.That(e.ActorId, Is.EqualTo("abc"));
            Assert.That(e.Attributes["exitCode"], Is.EqualTo("0"));
            Assert.That(e.Time, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1700000000).AddTicks(1234567)));
        });
    }

    [Test]
    public void LabelFilters_WithType_AreTheMapFormOfFilters()
    {
        var filters = DockerModelMapper.LabelFilters(["a=b", "c", "c"], withType: true);

        Assert.Multiple(() =>
        {
            Assert.That(filters["label"].Keys, Is.EquivalentTo(new[] { "a=b", "c" }));
            Assert.That(filters["type"].Keys, Is.EqualTo(new[] { "container" }));
            Assert.That(DockerModelMapper.LabelFilters([], withType: false), Is.Empty);
        });
    }

    [Test]
    public void ToAuthConfig_Credentials_CarryUserPasswordAndServer()
    {
        var auth = DockerModelMapper.ToAuthConfig(new RegistryAuth("user", "p+ss/w?rd>>>", "127.0.0.1:5000"));

        Assert.Multiple(() =>
        {
            Assert.That(auth.Username, Is.EqualTo("user"));
            Assert.That(auth.Password, Is.EqualTo("p+ss/w?rd>>>"));
            Assert.That(auth.ServerAddress, Is.EqualTo("127.0.0.1:5000"));
        });
    }

    private static CPUStats Cpu(ulong total, ulong system, uint? onlineCpus) =>
        new() { CPUUsage = new CPUUsage { TotalUsage = total }, SystemUsage = system, OnlineCPUs = onlineCpus };
}
