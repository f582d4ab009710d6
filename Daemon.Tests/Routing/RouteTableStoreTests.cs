using System.Runtime.Versioning;
using GradientNode.Core.Routing;
using NUnit.Framework;

namespace GradientNode.Tests.Routing;

[TestFixture]
[Category("Unit")]
internal sealed class RouteTableStoreTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("gn-routes-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static RouteTable Sample(long version) => new(version, DateTimeOffset.UnixEpoch.AddDays(1),
    [
        new DeploymentRoute("hello", "Hello World", true, [new ReplicaRoute("r0", "172.17.0.2:80", true), new ReplicaRoute("r1", "172.17.0.3:80", false)],
            "Basic cGFwZXJzcGFjZTpteV9wYXNzd29yZA=="),
        new DeploymentRoute("off", "off", false, []),
    ]);

    [Test]
    public void Write_Table_RoundTripsThroughRead()
    {
        var store = new RouteTableStore(_dir);
        store.Write(Sample(7));

        var result = new RouteTableStore(_dir).Read();

        Assert.That(result.Status, Is.EqualTo(RouteTableReadStatus.Ok));
        Assert.That(result.Table.Version, Is.EqualTo(7));
        Assert.That(result.Table.Deployments, Has.Count.EqualTo(2));
        Assert.That(result.Table.Deployments[0].Replicas, Is.EqualTo(Sample(7).Deployments[0].Replicas));
        Assert.That(result.Table.Deployments[0].ExpectedAuthorization, Is.EqualTo("Basic cGFwZXJzcGFjZTpteV9wYXNzd29yZA=="));
    }

    [Test]
    [SupportedOSPlatform("linux")]
    public void Write_Table_FileIsOwnerReadWriteOnlyAndNoTempFileRemains()
    {
        new RouteTableStore(_dir).Write(Sample(1));

        var path = Path.Combine(_dir, RouteTable.FileName);
        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(Directory.GetFiles(_dir), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void Read_MissingFile_ReturnsEmpty()
    {
        var result = new RouteTableStore(_dir).Read();

        Assert.That(result.Status, Is.EqualTo(RouteTableReadStatus.Missing));
        Assert.That(result.Table, Is.SameAs(RouteTable.Empty));
    }

    [TestCase("{not json")]
    [TestCase("null")]
    [TestCase("{\"version\":3,\"deployments\":[{\"slug\":\"x\"}]}")]
    public void Read_CorruptFile_KeepsLastGoodAndReportsError(string content)
    {
        var store = new RouteTableStore(_dir);
        store.Write(Sample(5));
        Assert.That(store.Read().Status, Is.EqualTo(RouteTableReadStatus.Ok));
        File.WriteAllText(store.FilePath, content);

        var result = store.Read();

        Assert.That(result.Status, Is.EqualTo(RouteTableReadStatus.Corrupt));
        Assert.That(result.Table.Version, Is.EqualTo(5));
        Assert.That(result.Error, Does.Contain(RouteTable.FileName));
        Assert.That(result.Error, Does.Not.Contain("cGFwZXJzcGFjZ"));
    }
}
