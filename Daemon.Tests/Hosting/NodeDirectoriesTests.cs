using GradientNode.Daemon.Configuration;
using GradientNode.Daemon.Hosting;
using NUnit.Framework;

namespace GradientNode.Tests.Hosting;

[TestFixture]
[Category("Unit")]
internal sealed class NodeDirectoriesTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("gn-nodedirs-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void RunAsync_StateDirThatCannotBeCreated_StopsBeforeAnythingStartsNamingTheFolderAndTheSetting()
    {
        File.WriteAllText(Path.Combine(_dir, "a-file"), "x");
        var options = new NodeOptions
        {
            StateDir = Path.Combine(_dir, "a-file", "state"),
            SpecsDir = Path.Combine(_dir, "specs"),
            RunDir = Path.Combine(_dir, "run"),
            DockerHost = "unix://" + Path.Combine(_dir, "no-engine.sock"),
            NodeName = "nodedirs-test",
        };

        var error = Assert.ThrowsAsync<StartupException>(() => RoleRunner.RunAsync("daemon", options, () => options));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.StartWith($"the state directory {options.StateDir} cannot be created: "));
            Assert.That(error.Message, Does.Contain("point --state-dir (stateDir in node.yaml) at a folder the node's user"));
            Assert.That(error.Message, Does.Not.Contain(" : '"), "not .NET's own 'MESSAGE : PATH' text");
            Assert.That(Directory.Exists(options.RunDir), Is.False, "nothing made after the folder that failed");
        });
    }

    [Test]
    public void Make_WritableFolder_IsMadeAndLeftEmpty()
    {
        var path = Path.Combine(_dir, "new", "state");

        NodeDirectories.Make(path, "state directory", "--state-dir", "stateDir", mustWrite: true);

        Assert.That(Directory.GetFileSystemEntries(path), Is.Empty);
    }
}
