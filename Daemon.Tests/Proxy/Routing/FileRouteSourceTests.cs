using GradientNode.Core.Routing;
using GradientNode.Proxy;
using GradientNode.Proxy.Metrics;
using GradientNode.Proxy.Routing;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Routing;

[TestFixture]
[Category("Unit")]
internal sealed class FileRouteSourceTests
{
    private string _dir = null!;
    private RouteTableStore _store = null!;
    private FakeTimeProvider _time = null!;
    private FileRouteSource _source = null!;
    private readonly List<RouteTable> _changes = [];

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("gn-source-").FullName;
        _store = new RouteTableStore(_dir);
        _time = new FakeTimeProvider();
        _changes.Clear();
        _store.Write(Table(1, "a"));
        _source = new FileRouteSource(
            new ProxyOptions { RunDir = _dir, TimeProvider = _time, RoutePollInterval = TimeSpan.FromSeconds(1), Domain = "localhost" },
            new ProxyMetrics(_time),
            NullLogger<FileRouteSource>.Instance);
        Follow(_source.Latest);
        _source.Start();
    }

    [TearDown]
    public void TearDown()
    {
        _source.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Records each snapshot YARP would be asked for, the way YARP follows the change tokens.</summary>
    private void Follow(RouteSnapshot snapshot) => snapshot.ChangeToken.RegisterChangeCallback(
        _ =>
        {
            var next = _source.Latest;
            lock (_changes)
            {
                _changes.Add(next.Table);
            }

            Follow(next);
        },
        null);

    private static RouteTable Table(long version, params string[] slugs) =>
        new(version, DateTimeOffset.UnixEpoch, [.. slugs.Select(s => new DeploymentRoute(s, s, true, [new ReplicaRoute("r0", "10.0.0.1:80", true)]))]);

    private Task PollUntilAsync(Func<bool> condition, string what) => TestTimeouts.WaitUntilAsync(() =>
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        return condition();
    }, what);

    [Test]
    public void Constructor_ExistingFile_LoadsIt()
    {
        Assert.That(_source.Latest.Table.Version, Is.EqualTo(1));
        Assert.That(_source.Current, Is.SameAs(_source.Latest), "the gateway starts on the first snapshot");
    }

    [Test]
    public async Task Reload_NewVersionWithNewRoutes_SupersedesSnapshot()
    {
        _store.Write(Table(2, "a", "b"));

        await PollUntilAsync(() => _source.Latest.Table.Version == 2, "version 2");
        lock (_changes)
        {
            Assert.That(_changes, Has.Count.EqualTo(1));
            Assert.That(_changes[0].Deployments, Has.Count.EqualTo(2));
        }
    }

    [Test]
    public async Task Reload_NewVersionSameRoutes_KeepsSnapshot()
    {
        var first = _source.Latest;
        _store.Write(Table(2, "a"));
        _store.Write(Table(3, "a", "b"));

        await PollUntilAsync(() => _source.Latest.Table.Version == 3, "version 3");
        lock (_changes)
        {
            Assert.That(_changes.Select(c => c.Version), Is.EqualTo(new long[] { 3 }), "version 2 routed the same as version 1");
        }

        Assert.That(first.ChangeToken.HasChanged, Is.True);
    }

    [Test]
    public async Task Reload_CorruptFile_KeepsLastRoutes()
    {
        File.WriteAllText(Path.Combine(_dir, RouteTable.FileName), "{\"version\": 9, \"deployments\": [");
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            _source.Reload(force: true);
        }

        _store.Write(Table(3, "c"));
        await PollUntilAsync(() => _source.Latest.Table.Version == 3, "version 3 after the corrupt one");
        lock (_changes)
        {
            Assert.That(_changes.Select(c => c.Version), Is.EqualTo(new long[] { 3 }));
        }
    }

    [Test]
    public void Reload_FileDeleted_KeepsLastRoutes()
    {
        File.Delete(Path.Combine(_dir, RouteTable.FileName));
        _source.Reload(force: true);
        _time.Advance(TimeSpan.FromSeconds(3));

        Assert.That(_source.Latest.Table.Version, Is.EqualTo(1));
        Assert.That(_source.Latest.Count, Is.EqualTo(1));
    }

    [Test]
    public void ConfigurationApplied_FirstTable_AnswersTheDaemonWithItsVersion()
    {
        _source.ConfigurationApplied([_source.Latest]);

        Assert.That(AppliedRoutesFile.Read(_dir), Is.EqualTo(1));
    }

    [Test]
    public async Task Reload_NewRoutesReadButNotYetApplied_AnswerStaysAtTheTableServed()
    {
        _source.ConfigurationApplied([_source.Latest]);
        _store.Write(Table(2, "a", "b"));
        await PollUntilAsync(() => _source.Latest.Table.Version == 2, "version 2 read");

        Assert.That(AppliedRoutesFile.Read(_dir), Is.EqualTo(1), "YARP has not applied version 2");

        _source.ConfigurationApplied([_source.Latest]);
        Assert.That(AppliedRoutesFile.Read(_dir), Is.EqualTo(2));
    }

    [Test]
    public async Task Reload_NewVersionSameRoutesWhileServed_AnswersWithTheNewVersion()
    {
        // A restarted daemon writes the same routes under a new version: the proxy serves them already.
        _source.ConfigurationApplied([_source.Latest]);
        _store.Write(Table(7, "a"));

        await PollUntilAsync(() => AppliedRoutesFile.Read(_dir) == 7, "the answer 7");
        Assert.That(_source.Latest.Table.Version, Is.EqualTo(1), "no new snapshot for the same routes");
    }

    [Test]
    public void Dispose_ProxyStops_RemovesItsAnswer()
    {
        _source.ConfigurationApplied([_source.Latest]);
        Assert.That(File.Exists(AppliedRoutesFile.PathIn(_dir)), Is.True);

        _source.Dispose();

        Assert.That(File.Exists(AppliedRoutesFile.PathIn(_dir)), Is.False, "the daemon then takes routes.json as served");
    }
}
