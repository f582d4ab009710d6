using GradientNode.Core.Engine;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Engine;

/// <summary>Every container under the node's one parent cgroup, whose pids.max bounds them together (not only each).</summary>
internal sealed partial class DockerEngineTests
{
    [Test]
    public async Task CreateContainerAsync_EngineWithAContainersCgroup_ContainerUnderItAndItsForksStopAtTheParentsPidsMax()
    {
        // Before: every container had only its own PidsLimit (4096), so 8 fork bombs took all 32768 pids of the host.
        var info = await _engine.GetInfoAsync(Token());
        if (info.CgroupDriver == "systemd")
        {
            Assert.Ignore("the engine's cgroup driver is systemd: a parent is a slice there, made by systemd, not a folder this test makes");
        }

        var parent = $"/gn-test-{_case}";
        using var engine = new DockerEngine(new DockerEngineOptions(TestEnvironment.DockerHost) { ContainersCgroup = parent });
        // A small parent: 64 pids for a container that may hold 4096 by its own limit tries 100 sleeps.
        Assert.That(ContainersCgroup.Prepare(parent, info.CgroupVersion, 64), Is.EqualTo(64));
        var folder = ContainersCgroup.Folder(parent, info.CgroupVersion);
        try
        {
            var id = await engine.CreateContainerAsync(
                new ContainerCreateRequest
                {
                    Name = NewName(),
                    Image = TestEnvironment.WebImage,
                    // busybox sh ends at its first refused fork; each sleep started is counted first.
                    Entrypoint = ["/bin/sh", "-c", "grep pids /proc/self/cgroup; i=0; while [ $i -lt 100 ]; do sleep 60 & i=$((i+1)); echo started $i; done"],
                    Labels = new Dictionary<string, string> { [TestEnvironment.RunLabel] = TestEnvironment.RunId, [CaseLabel] = _case },
                    PidsLimit = 4096,
                },
                Token());
            _created.Add(id);
            await engine.StartContainerAsync(id, Token());
            await TestTimeouts.WaitUntilAsync(
                async () => (await engine.InspectContainerAsync(id, Token()))?.State is { Running: false, FinishedAt: not null },
                TestTimeouts.Container,
                "the fork test to end");

            var lines = (await ReadLogsAsync(id, new LogOptions())).Select(l => l.Text).ToList();
            var started = lines.Where(l => l.StartsWith("started ", StringComparison.Ordinal)).Select(l => int.Parse(l["started ".Length..], System.Globalization.CultureInfo.InvariantCulture)).LastOrDefault();
            using var inspect = await TestEnvironment.InspectContainerJsonAsync(id, Token());
            Assert.Multiple(() =>
            {
                Assert.That(inspect.RootElement.GetProperty("HostConfig").GetProperty("CgroupParent").GetString(), Is.EqualTo(parent));
                Assert.That(inspect.RootElement.GetProperty("HostConfig").GetProperty("PidsLimit").GetInt64(), Is.EqualTo(4096));
                Assert.That(started, Is.InRange(1, 63), "63 sleeps and the shell fill the parent's 64; the container's own limit is 4096");
                Assert.That(string.Join('\n', lines), Does.Contain("can't fork"));
                if (info.CgroupVersion == "1")
                {
                    Assert.That(lines, Has.Some.EndsWith($":pids:{parent}/{id}"));
                }
            });
            await engine.RemoveContainerAsync(id, force: true, Token(TestTimeouts.Container));
        }
        finally
        {
            // The engine made the parent in every hierarchy (v1) or in the unified tree (v2): empty folders, removed.
            foreach (var made in info.CgroupVersion == "1" ? Directory.GetDirectories(ContainersCgroup.Root).Select(h => Path.Join(h, parent)) : [folder])
            {
                try
                {
                    if (Directory.Exists(made))
                    {
                        Directory.Delete(made);
                    }
                }
                catch (IOException)
                {
                    // A container still in it (the test failed before its removal): TearDown removes it, the folder stays.
                }
            }
        }
    }
}
