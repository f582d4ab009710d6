using GradientNode.Core.Traffic;
using GradientNode.Daemon.Api;
using GradientNode.Daemon.Configuration;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

/// <summary>The daemon's reader of <c>proxy-stats.json</c>: an unchanged file (an idle proxy writes none) is not parsed again.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class TrafficReaderTests
{
    private string _runDir = null!;

    [SetUp]
    public void SetUp() => _runDir = Directory.CreateTempSubdirectory("gn-traffic-reader-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_runDir, recursive: true);

    [Test]
    public void Read_FileUnchanged_ReturnsTheSameParse()
    {
        TrafficFile.Write(_runDir, Snapshot("web"));
        var reader = new TrafficReader(new NodeOptions { RunDir = _runDir });

        var first = reader.Read();
        var second = reader.Read();

        Assert.That(first, Is.Not.Null);
        Assert.That(second, Is.SameAs(first), "one stat, no second parse");
    }

    [Test]
    public void Read_FileReplaced_ParsesTheNewFigures()
    {
        TrafficFile.Write(_runDir, Snapshot("web"));
        var reader = new TrafficReader(new NodeOptions { RunDir = _runDir });
        Assert.That(reader.Read()!.Deployments.Single().Slug, Is.EqualTo("web"));

        TrafficFile.Write(_runDir, Snapshot("api-server"));

        Assert.That(reader.Read()!.Deployments.Single().Slug, Is.EqualTo("api-server"));
    }

    [Test]
    public void Read_FileGone_Null()
    {
        TrafficFile.Write(_runDir, Snapshot("web"));
        var reader = new TrafficReader(new NodeOptions { RunDir = _runDir });
        Assert.That(reader.Read(), Is.Not.Null);

        File.Delete(TrafficFile.PathIn(_runDir));

        Assert.That(reader.Read(), Is.Null);
    }

    private static TrafficSnapshot Snapshot(string slug)
    {
        var counters = new TrafficCounters(0, 0, 0, 0, 0, 0, 0, 0, [], 0, 0, null, null);
        return new TrafficSnapshot(DateTimeOffset.UnixEpoch, [], [new DeploymentTraffic(slug, counters, counters, [])]);
    }
}
