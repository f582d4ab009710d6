using GradientNode.Daemon.Cli;
using GradientNode.Daemon.Configuration;
using GradientNode.Daemon.Hosting;
using NUnit.Framework;

namespace GradientNode.Tests.Hosting;

[TestFixture]
[Category("Unit")]
public sealed class DaemonReloaderTests
{
    [Test]
    public void Differences_SameValuesInNewCollections_None()
    {
        var before = new NodeOptions { Listen = ["http://0.0.0.0:8080"], Labels = new Dictionary<string, string> { ["a"] = "1" } };
        var after = new NodeOptions { Listen = ["http://0.0.0.0:8080"], Labels = new Dictionary<string, string> { ["a"] = "1" } };

        Assert.That(DaemonReloader.Differences(before, after), Is.Empty);
    }

    [Test]
    public void Differences_ChangedKeys_NamedByNodeYamlKey()
    {
        var before = new NodeOptions();
        var after = before with { Domain = "gpu1.internal", SocketGroup = "ops", Listen = ["http://0.0.0.0:9090"] };

        Assert.That(DaemonReloader.Differences(before, after), Is.EquivalentTo(new[] { "domain", "socketGroup", "listen" }));
    }

    /// <summary>Each node.yaml key with two values that differ (the second file holds every key at its first value but one).</summary>
    private static readonly Dictionary<string, (string First, string Second)> KeyValues = new(StringComparer.Ordinal)
    {
        ["specsDir"] = ("/tmp/gn-a/specs", "/tmp/gn-b/specs"),
        ["stateDir"] = ("/tmp/gn-a/state", "/tmp/gn-b/state"),
        ["runDir"] = ("/tmp/gn-a/run", "/tmp/gn-b/run"),
        ["socket"] = ("/tmp/gn-a/api.sock", "/tmp/gn-b/api.sock"),
        ["dockerHost"] = ("unix:///tmp/a.sock", "unix:///tmp/b.sock"),
        ["listen"] = ("http://127.0.0.1:8080", "http://127.0.0.1:8081"),
        ["domain"] = ("a.example", "b.example"),
        ["nodeName"] = ("a", "b"),
        ["labels"] = ("{team: a}", "{team: b}"),
        ["readyWaitSeconds"] = ("\"30\"", "\"31\""),
        ["socketGroup"] = ("a", "b"),
        ["apiMaxConnections"] = ("\"256\"", "\"257\""),
        ["maxLogFollows"] = ("\"64\"", "\"65\""),
        ["autoscaleInterval"] = ("2s", "3s"),
        ["scaleDownStabilization"] = ("5m", "6m"),
        ["drainTimeout"] = ("30s", "31s"),
        ["progressDeadline"] = ("10m", "11m"),
        ["machineTypes"] = ("{C4: {cpus: 2}}", "{C4: {cpus: 3}}"),
        ["gpuModelMustMatch"] = ("\"off\"", "\"on\""),
        ["maxHeldRequests"] = ("\"100\"", "\"101\""),
        ["maxConnectionsPerAddress"] = ("\"1000\"", "\"50\""),
        ["maxReplicas"] = ("\"1000\"", "\"10\""),
        ["pidsLimit"] = ("\"4096\"", "\"100\""),
        ["containersCgroup"] = ("gradient-node-containers.slice", "none"),
        ["engineConcurrency"] = ("\"4\"", "\"5\""),
        ["logMaxSize"] = ("10m", "11m"),
        ["logMaxFiles"] = ("\"3\"", "\"4\""),
        ["gitLocalRoots"] = ("/srv/a", "/srv/b"),
        ["modelUploadLimit"] = ("50G", "51G"),
        ["pullStallTimeout"] = ("2m", "3m"),
        ["datasetKeep"] = ("\"5\"", "\"6\""),
        ["datasetMaxEntries"] = ("\"1000000\"", "\"2000000\""),
        ["workflowJobLimit"] = ("\"4\"", "\"5\""),
        ["workflowJobMemory"] = ("50%", "1G"),
        ["workflowRunsKept"] = ("\"100\"", "\"7\""),
        ["replicaNetwork"] = ("gradient-node", "models-net"),
        ["tlsCert"] = ("/etc/t/a.crt", "/etc/t/b.crt"),
        ["tlsKey"] = ("/etc/t/a.key", "/etc/t/b.key"),
        ["tlsDir"] = ("/etc/t/a", "/etc/t/b"),
        ["httpsRedirect"] = ("\"on\"", "\"off\""),
        ["hsts"] = ("180d", "181d"),
        ["console"] = ("{listen: 127.0.0.1:7080}", "{listen: 127.0.0.1:7081}"),
    };

    private static IEnumerable<string> KnownKeys => NodeConfigFile.KnownKeys;

    [Test]
    public void KeyValues_EveryNodeYamlKey_HasTwoValues()
    {
        Assert.That(KeyValues.Keys, Is.EquivalentTo(NodeConfigFile.KnownKeys), "a new node.yaml key needs a line here, and one in DaemonReloader.Differences");
    }

    [TestCaseSource(nameof(KnownKeys))]
    public void Differences_OneNodeYamlKeyChangedInTheFile_NamesThatKey(string key)
    {
        var dir = Directory.CreateTempSubdirectory("gn-reload-");
        try
        {
            var first = Path.Combine(dir.FullName, "first.yaml");
            var second = Path.Combine(dir.FullName, "second.yaml");
            File.WriteAllLines(first, KeyValues.Select(p => $"{p.Key}: {p.Value.First}"));
            File.WriteAllLines(second, KeyValues.Select(p => $"{p.Key}: {(p.Key == key ? p.Value.Second : p.Value.First)}"));

            var before = NodeOptionsLoader.Load(ParsedArgs.Parse(["--config", first]), _ => null);
            var after = NodeOptionsLoader.Load(ParsedArgs.Parse(["--config", second]), _ => null);

            Assert.That(DaemonReloader.Differences(before, after), Is.EqualTo(new[] { key }));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
