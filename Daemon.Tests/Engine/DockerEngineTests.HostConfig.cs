using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Specs;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Engine;

/// <summary>What a replica's HostConfig looks like to the real engine: typed mounts, a pids limit, log rotation.</summary>
internal sealed partial class DockerEngineTests
{
    [Test]
    public async Task CreateContainerAsync_BindSourceWithColonAndComma_MountsItReadOnly()
    {
        var root = Directory.CreateTempSubdirectory("gn-mount-");
        try
        {
            // As a "src:dst:ro" string this source would read as a mount of /tmp/…/a onto /etc with options "b,rw".
            var source = Directory.CreateDirectory(Path.Combine(root.FullName, "a:/etc:b,rw")).FullName;
            await File.WriteAllTextAsync(Path.Combine(source, "f"), "hello from the host");
            var id = await CreateAsync(
                entrypoint: ["/bin/sh", "-c", "cat /data/f; echo; if touch /data/x 2>/dev/null; then echo WRITABLE; else echo READONLY; fi"],
                binds: [new BindMount(source, "/data", ReadOnly: true)]);
            await _engine.StartContainerAsync(id, Token());
            await TestTimeouts.WaitUntilAsync(
                async () => (await _engine.InspectContainerAsync(id, Token()))?.State is { Running: false, FinishedAt: not null },
                TestTimeouts.Container,
                "the mount check to exit");

            var output = string.Join('\n', (await ReadLogsAsync(id, new LogOptions())).Select(l => l.Text));
            Assert.That(output, Does.Contain("hello from the host").And.Contain("READONLY").And.Not.Contain("WRITABLE"));
            Assert.That(File.Exists(Path.Combine(source, "x")), Is.False);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Test]
    public async Task CreateContainerAsync_ReplicaRequest_HasPidsLimitAndJsonFileLogRotation()
    {
        var parsed = SpecParser.Parse("/specs/limits.yaml", $"name: limits\nimage: {TestEnvironment.WebImage}\nresources:\n  machineType: C4\n  ports: [8080]\n");
        Assert.That(parsed.Errors.Select(e => e.ToString()), Is.Empty);
        var spec = parsed.Spec!;
        var options = new ReconcilerOptions { PidsLimit = 321, LogRotation = new LogRotation("2m", 4) };
        var request = ContainerRequestFactory.Create(spec, "0123456789ab", new CreateReplica(0), options) with
        {
            Name = NewName(),
            Labels = new Dictionary<string, string> { [TestEnvironment.RunLabel] = TestEnvironment.RunId, [CaseLabel] = _case },
        };
        var id = await _engine.CreateContainerAsync(request, Token());
        _created.Add(id);

        using var inspect = await TestEnvironment.InspectContainerJsonAsync(id, Token());
        var host = inspect.RootElement.GetProperty("HostConfig");
        var log = host.GetProperty("LogConfig");
        Assert.Multiple(() =>
        {
            Assert.That(host.GetProperty("PidsLimit").GetInt64(), Is.EqualTo(321));
            Assert.That(log.GetProperty("Type").GetString(), Is.EqualTo("json-file"));
            Assert.That(log.GetProperty("Config").GetProperty("max-size").GetString(), Is.EqualTo("2m"));
            Assert.That(log.GetProperty("Config").GetProperty("max-file").GetString(), Is.EqualTo("4"));
        });
    }

    [Test]
    public async Task CreateContainerAsync_AnyContainer_RunsWithoutNetRawSoItCannotSpoofArp()
    {
        // Before: Docker's default set, NET_RAW included: a replica sent ARP answers for another deployment's replica
        // address and read the requests the proxy then sent it (headers and bodies of the other deployment).
        var id = await CreateAsync(entrypoint: ["/bin/sh", "-c", "grep CapEff /proc/self/status"]);
        await _engine.StartContainerAsync(id, Token());
        await TestTimeouts.WaitUntilAsync(
            async () => (await _engine.InspectContainerAsync(id, Token()))?.State is { Running: false, FinishedAt: not null },
            TestTimeouts.Container,
            "the capability check to exit");

        var line = (await ReadLogsAsync(id, new LogOptions())).Select(l => l.Text).Single(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        var effective = ulong.Parse(line["CapEff:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        using var inspect = await TestEnvironment.InspectContainerJsonAsync(id, Token());
        const int NetRaw = 13;
        const int Chown = 0;
        Assert.Multiple(() =>
        {
            Assert.That(effective & (1UL << NetRaw), Is.Zero, $"CAP_NET_RAW in {line}");
            Assert.That(effective & (1UL << Chown), Is.Not.Zero, $"the rest of Docker's default set stays: {line}");
            Assert.That(inspect.RootElement.GetProperty("HostConfig").GetProperty("CapDrop").EnumerateArray().Select(e => e.GetString()), Does.Contain("NET_RAW"));
        });
    }

    [Test]
    public async Task CapabilityAudit_ReplicaCreatedWithNetRawAsAnEarlierVersionDid_NamedAndTheNodesOwnIsNot()
    {
        // An earlier node created replicas with Docker's default set; they keep NET_RAW until replaced.
        var node = $"audit-{_case}";
        var labels = new Dictionary<string, string>
        {
            [TestEnvironment.RunLabel] = TestEnvironment.RunId,
            [CaseLabel] = _case,
            [ContainerLabels.Node] = node,
        };
        using (var docker = new Docker.DotNet.DockerClientBuilder().WithEndpoint(new Uri(TestEnvironment.DockerHost)).Build())
        {
            var old = await docker.Containers.CreateContainerAsync(
                new Docker.DotNet.Models.CreateContainerParameters
                {
                    Name = NewName(),
                    Image = TestEnvironment.WebImage,
                    Labels = new Dictionary<string, string>(labels) { [ContainerLabels.Deployment] = "old-slug", [ContainerLabels.Name] = "old" },
                },
                Token());
            _created.Add(old.ID);
            await _engine.StartContainerAsync(old.ID, Token());
        }

        var mine = await CreateAsync(labels: new Dictionary<string, string>(labels) { [ContainerLabels.Deployment] = "new-slug", [ContainerLabels.Name] = "new" });
        await _engine.StartContainerAsync(mine, Token());

        var audit = new CapabilityAudit(node);
        var warning = await audit.WarningAsync(_engine, Token());

        Assert.Multiple(async () =>
        {
            Assert.That((await _engine.InspectContainerAsync(mine, Token()))!.CapDrop, Does.Contain("NET_RAW"));
            Assert.That(warning, Does.StartWith("1 container(s) of old run with NET_RAW (created by an earlier version of the node)"));
            Assert.That(warning, Does.Contain("the node replaces a deployment's replicas by a rolling update"));
        });
    }

    [Test]
    public async Task CreateContainerAsync_NoGpusButTheEnvAsksForAll_TheContainerGetsVoid()
    {
        // With the NVIDIA toolkit as dockerd's runtime, NVIDIA_VISIBLE_DEVICES=all gave a CPU replica every GPU of the host.
        var id = await _engine.CreateContainerAsync(
            new ContainerCreateRequest
            {
                Name = NewName(),
                Image = TestEnvironment.WebImage,
                Env = ["NVIDIA_VISIBLE_DEVICES=all", "KEEP=1"],
                Labels = new Dictionary<string, string> { [TestEnvironment.RunLabel] = TestEnvironment.RunId, [CaseLabel] = _case },
            },
            Token());
        _created.Add(id);

        using var inspect = await TestEnvironment.InspectContainerJsonAsync(id, Token());
        var env = inspect.RootElement.GetProperty("Config").GetProperty("Env").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.That(env, Does.Contain("NVIDIA_VISIBLE_DEVICES=void").And.Contain("KEEP=1").And.Not.Contain("NVIDIA_VISIBLE_DEVICES=all"));
    }

    [Test]
    public async Task CreateContainerAsync_ImageEnvAsksTheToolkitForAllGpusMigControlAndHostDevices_TheNodesValuesOverrideIt()
    {
        // The toolkit reads the container's env, the image's ENV included: an image can ask for MIG control, IMEX
        // channels and GPUDirect Storage devices as well as every GPU (found by the thirteenth adversary review).
        var image = await CommitWebImageWithLabelsAsync(
            [],
            ["NVIDIA_VISIBLE_DEVICES=all", "NVIDIA_MIG_CONFIG_DEVICES=all", "NVIDIA_IMEX_CHANNELS=all", "NVIDIA_GDS=enabled", "NVIDIA_TF32_OVERRIDE=0"]);
        try
        {
            var id = await _engine.CreateContainerAsync(
                new ContainerCreateRequest
                {
                    Name = NewName(),
                    Image = image,
                    Labels = new Dictionary<string, string> { [TestEnvironment.RunLabel] = TestEnvironment.RunId, [CaseLabel] = _case },
                },
                Token());
            _created.Add(id);

            using var inspect = await TestEnvironment.InspectContainerJsonAsync(id, Token());
            var env = inspect.RootElement.GetProperty("Config").GetProperty("Env").EnumerateArray().Select(e => e.GetString()).ToList();
            Assert.Multiple(() =>
            {
                // A bare name is dockerd's "unset": it replaces the image's entry and is left out of the process's env.
                Assert.That(env, Does.Contain("NVIDIA_VISIBLE_DEVICES=void").And.Contain("NVIDIA_MIG_CONFIG_DEVICES").And.Contain("NVIDIA_IMEX_CHANNELS=void").And.Contain("NVIDIA_GDS=disabled"));
                Assert.That(env, Does.Not.Contain("NVIDIA_VISIBLE_DEVICES=all").And.Not.Contain("NVIDIA_MIG_CONFIG_DEVICES=all").And.Not.Contain("NVIDIA_IMEX_CHANNELS=all").And.Not.Contain("NVIDIA_GDS=enabled"));
                Assert.That(env, Does.Contain("NVIDIA_TF32_OVERRIDE=0"), "the image's other variables stay");
            });
        }
        finally
        {
            await RemoveImageAsync(image);
        }
    }
}
