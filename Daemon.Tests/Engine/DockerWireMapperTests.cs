using System.Text.Json;
using GradientNode.Core.Engine;
using NUnit.Framework;

namespace GradientNode.Tests.Engine;

[TestFixture]
[Category("Unit")]
internal sealed class DockerWireMapperTests
{
    [Test]
    public void ToStats_WithPreviousSample_ComputesCpuPercentAndMemoryWithoutCache()
    {
        var stats = Deserialize<WireStats>("""
            {"read":"2026-11-22T07:39:27.176486629Z",
             "cpu_stats":{"cpu_usage":{"total_usage":3000000000},"system_cpu_usage":20000000000,"online_cpus":2},
             "precpu_stats":{"cpu_usage":{"total_usage":2000000000},"system_cpu_usage":16000000000,"online_cpus":2},
             "memory_stats":{"usage":10000000,"limit":2000000000,"stats":{"cache":4000000}}}
            """);

        var result = DockerWireMapper.ToStats(stats);

        Assert.Multiple(() =>
        {
            Assert.That(result.CpuPercent, Is.EqualTo(50.0).Within(0.001)); // 1e9 / 4e9 × 2 × 100
            Assert.That(result.MemoryUsageBytes, Is.EqualTo(6_000_000));
            Assert.That(result.MemoryLimitBytes, Is.EqualTo(2_000_000_000));
            Assert.That(result.OnlineCpus, Is.EqualTo(2));
            Assert.That(result.Read.Year, Is.EqualTo(2026));
        });
    }

    [Test]
    public void ToStats_EmptyPrecpu_ReportsZeroCpuAndNoPreviousSample()
    {
        var stats = Deserialize<WireStats>("""
            {"cpu_stats":{"cpu_usage":{"total_usage":5,"percpu_usage":[1,2,2]},"system_cpu_usage":9},
             "precpu_stats":{"cpu_usage":{"total_usage":0},"system_cpu_usage":0},
             "memory_stats":{"usage":100,"stats":{"inactive_file":40}}}
            """);

        var result = DockerWireMapper.ToStats(stats);

        Assert.Multiple(() =>
        {
            Assert.That(DockerWireMapper.HasPreviousSample(stats), Is.False);
            Assert.That(result.CpuPercent, Is.Zero);
            Assert.That(result.OnlineCpus, Is.EqualTo(3));
            Assert.That(result.MemoryUsageBytes, Is.EqualTo(60));
        });
    }

    [TestCase("unauthorized: authentication required", typeof(ImagePullDeniedException))]
    [TestCase("Head \"http://127.0.0.1:5000/v2/x/manifests/1\": no basic auth credentials", typeof(ImagePullDeniedException))]
    [TestCase("pull access denied for nope, repository does not exist or may require 'docker login'", typeof(ImagePullDeniedException))]
    [TestCase("manifest for 127.0.0.1:5000/x:2 not found: manifest unknown: manifest unknown", typeof(ImageNotFoundException))]
    [TestCase("repository x does not exist", typeof(ImageNotFoundException))]
    [TestCase("Get \"http://127.0.0.1:1/v2/\": dial tcp 127.0.0.1:1: connect: connection refused", typeof(EngineException))]
    public void ToPullException_Message_IsTyped(string message, Type expected)
    {
        var exception = DockerWireMapper.ToPullException("img:1", message, 500);

        Assert.Multiple(() =>
        {
            Assert.That(exception, Is.TypeOf(expected));
            Assert.That(exception.Message, Does.Contain(message).And.Contain("img:1"));
        });
    }

    [Test]
    public void ToWire_FullRequest_MapsToEngineShape()
    {
        var request = new ContainerCreateRequest
        {
            Name = "app-1",
            Image = "gradient-test/web:1",
            Entrypoint = ["/bin/sh", "-c", "echo hi"],
            Env = ["A=1"],
            Labels = new Dictionary<string, string> { ["gradient.deployment"] = "app" },
            ExposedPorts = [8080],
            Runtime = "nvidia",
            Gpus = new GpuRequest(["0", "1"]),
            Binds = [new BindMount("/data", "/opt/data", ReadOnly: true), new BindMount("/a:/etc", "/b,ro", ReadOnly: false)],
            PidsLimit = 4096,
            Log = new LogRotation("10m", 3),
            NetworkMode = "bridge",
            MemoryBytes = 1024,
            NanoCpus = 500_000_000,
        };

        var json = JsonSerializer.Serialize(DockerWireMapper.ToWire(request), DockerJsonContext.Default.WireContainerCreate);

        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var host = root.GetProperty("HostConfig");
        var gpu = host.GetProperty("DeviceRequests")[0];
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("Entrypoint").GetArrayLength(), Is.EqualTo(3));
            Assert.That(root.TryGetProperty("Cmd", out _), Is.False);
            Assert.That(root.GetProperty("ExposedPorts").GetProperty("8080/tcp").ValueKind, Is.EqualTo(JsonValueKind.Object));
            Assert.That(root.GetProperty("Labels").GetProperty("gradient.deployment").GetString(), Is.EqualTo("app"));
            Assert.That(host.GetProperty("Runtime").GetString(), Is.EqualTo("nvidia"));
            Assert.That(host.TryGetProperty("Binds", out _), Is.False, "no src:dst:ro strings");
            Assert.That(host.GetProperty("Mounts")[0].GetRawText(), Is.EqualTo("""{"Type":"bind","Source":"/data","Target":"/opt/data","ReadOnly":true}"""));
            Assert.That(host.GetProperty("Mounts")[1].GetRawText(), Is.EqualTo("""{"Type":"bind","Source":"/a:/etc","Target":"/b,ro","ReadOnly":false}"""));
            Assert.That(host.GetProperty("PidsLimit").GetInt64(), Is.EqualTo(4096));
            Assert.That(host.GetProperty("LogConfig").GetRawText(), Is.EqualTo("""{"Type":"json-file","Config":{"max-size":"10m","max-file":"3"}}"""));
            Assert.That(host.GetProperty("Memory").GetInt64(), Is.EqualTo(1024));
            Assert.That(host.GetProperty("NanoCpus").GetInt64(), Is.EqualTo(500_000_000));
            Assert.That(gpu.GetProperty("Driver").GetString(), Is.EqualTo("nvidia"));
            Assert.That(gpu.GetProperty("DeviceIDs")[1].GetString(), Is.EqualTo("1"));
            Assert.That(gpu.TryGetProperty("Count", out _), Is.False);
            Assert.That(gpu.GetProperty("Capabilities")[0][0].GetString(), Is.EqualTo("gpu"));
        });
    }

    [Test]
    public void ToDeviceRequest_NoIds_RequestsAllGpus()
    {
        var request = DockerWireMapper.ToDeviceRequest(new GpuRequest([]));

        Assert.Multiple(() =>
        {
            Assert.That(request.Count, Is.EqualTo(-1));
            Assert.That(request.DeviceIds, Is.Null);
        });
    }

    [Test]
    public void ToDetails_IpOnlyInNetworksAndZeroFinishTime_MapsIpAndNullTime()
    {
        var wire = Deserialize<WireContainerInspect>("""
            {"Id":"abc","Name":"/app-1","Created":"2026-11-22T07:39:26.1Z","RestartCount":2,
             "Config":{"Image":"gradient-test/web:1","Labels":{"k":"v"},"Tty":false},
             "State":{"Status":"running","Running":true,"OOMKilled":false,"ExitCode":0,"Error":"",
                      "StartedAt":"2026-11-22T07:39:26.119689526Z","FinishedAt":"0001-01-01T00:00:00Z"},
             "NetworkSettings":{"IPAddress":"","Networks":{"custom":{"IPAddress":"10.1.2.3"}}}}
            """);

        var details = DockerWireMapper.ToDetails(wire);

        Assert.Multiple(() =>
        {
            Assert.That(details.Name, Is.EqualTo("app-1"));
            Assert.That(details.IpAddress, Is.EqualTo("10.1.2.3"));
            Assert.That(details.State.Error, Is.Null);
            Assert.That(details.State.StartedAt, Is.Not.Null);
            Assert.That(details.State.FinishedAt, Is.Null);
            Assert.That(details.RestartCount, Is.EqualTo(2));
            Assert.That(details.Labels["k"], Is.EqualTo("v"));
        });
    }

    [Test]
    public void ToDetails_NoAddress_IpIsNull()
    {
        var wire = Deserialize<WireContainerInspect>("""{"Id":"abc","NetworkSettings":{"IPAddress":"","Networks":{"bridge":{"IPAddress":""}}}}""");

        Assert.That(DockerWireMapper.ToDetails(wire).IpAddress, Is.Null);
    }

    [Test]
    public void ToEvent_TimeNano_KeepsSubSecondPrecision()
    {
        var wire = Deserialize<WireEvent>("""
            {"Type":"container","Action":"die","Actor":{"ID":"abc","Attributes":{"exitCode":"0"}},"time":1700000000,"timeNano":1700000000123456789}
            """);

        var e = DockerWireMapper.ToEvent(wire);

        Assert.Multiple(() =>
        {
            Assert.That(e.Action, Is.EqualTo("die"));
            Assert.That(e.ActorId, Is.EqualTo("abc"));
            Assert.That(e.Attributes["exitCode"], Is.EqualTo("0"));
            Assert.That(e.Time, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(1700000000).AddTicks(1234567)));
        });
    }

    private static T Deserialize<T>(string json) =>
        (T)JsonSerializer.Deserialize(json, typeof(T), DockerJsonContext.Default)!;
}
