using GradientNode.Core.Engine;
using NUnit.Framework;

namespace GradientNode.Tests.Engine;

[TestFixture]
[Category("Unit")]
internal sealed class ContainersCgroupTests
{
    private DirectoryInfo _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("gn-cgroup-");

    [TearDown]
    public void TearDown() => _root.Delete(recursive: true);

    [Test]
    public void ParentFor_DefaultSliceUnderEachDriver_TheSliceForSystemdItsFolderForCgroupfs()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ContainersCgroup.ParentFor(ContainersCgroup.DefaultSlice, "systemd"), Is.EqualTo("gradient-node-containers.slice"));
            Assert.That(ContainersCgroup.ParentFor(ContainersCgroup.DefaultSlice, "cgroupfs"), Is.EqualTo("/gradient.slice/gradient-node.slice/gradient-node-containers.slice"));
            Assert.That(ContainersCgroup.ParentFor("/gradient-node", "cgroupfs"), Is.EqualTo("/gradient-node"));
            Assert.That(ContainersCgroup.ParentFor("", "cgroupfs"), Is.Null);
        });
    }

    [Test]
    public void Prepare_NoFolderYetOnCgroupV2_MadeWithThePidsControllerAboveAndTheLimit()
    {
        var limit = ContainersCgroup.Prepare("/a.slice/a-b.slice", "2", 96, _root.FullName);

        Assert.Multiple(() =>
        {
            Assert.That(limit, Is.EqualTo(96));
            Assert.That(File.ReadAllText(Path.Join(_root.FullName, "cgroup.subtree_control")), Is.EqualTo("+pids"));
            Assert.That(File.ReadAllText(Path.Join(_root.FullName, "a.slice", "cgroup.subtree_control")), Is.EqualTo("+pids"));
            Assert.That(File.ReadAllText(Path.Join(_root.FullName, "a.slice", "a-b.slice", "pids.max")), Is.EqualTo("96"));
        });
    }

    [Test]
    public void Prepare_FolderSystemdMadeOnCgroupV1_LeftAsItIsAndItsLimitRead()
    {
        var folder = Directory.CreateDirectory(Path.Join(_root.FullName, "pids", "s.slice")).FullName;
        File.WriteAllText(Path.Join(folder, "pids.max"), "max\n");

        Assert.Multiple(() =>
        {
            Assert.That(ContainersCgroup.Prepare("/s.slice", "1", 96, _root.FullName), Is.EqualTo(long.MaxValue));
            Assert.That(File.ReadAllText(Path.Join(folder, "pids.max")), Is.EqualTo("max\n"));
        });
    }

    [Test]
    public void Check_ParentWithoutALimitOrNoParentWhereTheContainersCanTakeEveryPid_WarnsSayingWhatToDo()
    {
        var pidMax = Path.Join(_root.FullName, "pid_max");
        File.WriteAllText(pidMax, "32768\n");
        var folder = Directory.CreateDirectory(Path.Join(_root.FullName, "gradient.slice", "gradient-node.slice", "gradient-node-containers.slice")).FullName;
        var info = new EngineInfo("n", "20.10", [], "runc", "systemd", "2", false);
        string? Check(string configured, long pidsLimit, int containers) =>
            ContainersCgroup.Check(configured, "unix:///run/docker.sock", info, pidsLimit, containers, _root.FullName, pidMax);

        File.WriteAllText(Path.Join(folder, "pids.max"), "max\n");
        var unlimited = Check(ContainersCgroup.DefaultSlice, 4096, 1008);
        File.WriteAllText(Path.Join(folder, "pids.max"), "24576\n");
        var bounded = Check(ContainersCgroup.DefaultSlice, 4096, 1008);

        Assert.Multiple(() =>
        {
            Assert.That(unlimited, Does.Contain("gradient-node-containers.slice has pids.max max").And.Contain("kernel.pid_max 32768").And.Contain("TasksMax=75%"));
            Assert.That(bounded, Is.Null);
            Assert.That(Check("", 4096, 1008), Does.Contain("--containers-cgroup is off").And.Contain("1008 containers of --pids-limit 4096"));
            Assert.That(Check("", 4096, 7), Is.Null, "7 x 4096 fit below 32768");
            Assert.That(ContainersCgroup.Check("", "tcp://10.0.0.2:2375", info, 4096, 1008, _root.FullName, pidMax), Is.Null, "another host's cgroups are not read here");
            Assert.That(ContainersCgroup.Check("/not-made-yet", "unix:///run/docker.sock", info with { CgroupDriver = "cgroupfs" }, 4096, 1008, _root.FullName, pidMax), Is.Null, "cgroupfs: made at the first create");
            Assert.That(ContainersCgroup.Check("other.slice", "unix:///run/docker.sock", info, 4096, 1008, _root.FullName, pidMax), Does.Contain("other.slice has no pids.max"));
        });
    }
}
