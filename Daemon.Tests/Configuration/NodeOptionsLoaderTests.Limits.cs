using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Configuration;

/// <summary>The resource-limit options: held requests at the proxy, pids and log rotation of replicas.</summary>
internal sealed partial class NodeOptionsLoaderTests
{
    [Test]
    public void Load_NothingSet_LimitDefaults()
    {
        var options = Load(["--config", _emptyConfig]);

        Assert.Multiple(() =>
        {
            Assert.That(options.MaxHeldRequests, Is.EqualTo(100));
            Assert.That(options.Reconciler.PidsLimit, Is.EqualTo(4096));
            Assert.That(options.Reconciler.MaxReplicas, Is.EqualTo(1000));
            Assert.That(options.MaxConnectionsPerAddress, Is.EqualTo(1000));
            Assert.That(options.MaxLogFollows, Is.EqualTo(64));
            Assert.That(options.Reconciler.LogRotation, Is.EqualTo(new LogRotation("10m", 3)));
            Assert.That(options.Reconciler.EngineConcurrency, Is.EqualTo(ReconcilerOptions.DefaultEngineConcurrency(Environment.ProcessorCount)));
        });
    }

    [TestCase(1, 8)]
    [TestCase(2, 8)]
    [TestCase(3, 12)]
    [TestCase(4, 16)]
    [TestCase(64, 16)]
    public void DefaultEngineConcurrency_Cores_FourPerCoreFromEightToSixteen(int cores, int expected) =>
        Assert.That(ReconcilerOptions.DefaultEngineConcurrency(cores), Is.EqualTo(expected));

    [Test]
    public void Load_EngineConcurrencyFromFileThenFlag_FlagWins()
    {
        var config = WriteConfig("engineConcurrency: \"3\"\n");

        Assert.Multiple(() =>
        {
            Assert.That(Load(["--config", config]).Reconciler.EngineConcurrency, Is.EqualTo(3));
            Assert.That(Load(["--config", config, "--engine-concurrency", "9"]).Reconciler.EngineConcurrency, Is.EqualTo(9));
        });
    }

    [Test]
    public void Load_DatasetMaxEntriesFromFileEnvAndFlag_FlagThenEnvThenFileDefaultAMillion()
    {
        var config = WriteConfig("datasetMaxEntries: \"2000000\"\n");
        var env = new Dictionary<string, string> { ["GRADIENT_DATASET_MAX_ENTRIES"] = "3000000" };

        Assert.Multiple(() =>
        {
            Assert.That(Load(["--config", _emptyConfig]).DatasetMaxEntries, Is.EqualTo(1_000_000));
            Assert.That(Load(["--config", config]).DatasetMaxEntries, Is.EqualTo(2_000_000));
            Assert.That(Load(["--config", config], env).DatasetMaxEntries, Is.EqualTo(3_000_000));
            Assert.That(Load(["--config", config, "--dataset-max-entries", "5000000"], env).DatasetMaxEntries, Is.EqualTo(5_000_000));
            Assert.That(() => Load(["--config", _emptyConfig, "--dataset-max-entries", "0"]), Throws.InstanceOf<UsageException>().With.Message.Contains("--dataset-max-entries"));
        });
    }

    [Test]
    public void Load_MaxLogFollowsFromFileEnvAndFlag_FlagThenEnvThenFile()
    {
        var config = WriteConfig("maxLogFollows: \"16\"\n");
        var env = new Dictionary<string, string> { ["GRADIENT_MAX_LOG_FOLLOWS"] = "8" };

        Assert.Multiple(() =>
        {
            Assert.That(Load(["--config", config]).MaxLogFollows, Is.EqualTo(16));
            Assert.That(Load(["--config", config], env).MaxLogFollows, Is.EqualTo(8));
            Assert.That(Load(["--config", config, "--max-log-follows", "0"], env).MaxLogFollows, Is.Zero, "0: no limit");
            Assert.That(() => Load(["--config", _emptyConfig, "--max-log-follows", "-1"]), Throws.InstanceOf<UsageException>().With.Message.Contains("--max-log-follows"));
        });
    }

    [Test]
    public void Load_MaxReplicasFromFileEnvAndFlag_FlagThenEnvThenFile()
    {
        var config = WriteConfig("maxReplicas: \"50\"\n");
        var env = new Dictionary<string, string> { ["GRADIENT_MAX_REPLICAS"] = "20" };

        Assert.Multiple(() =>
        {
            Assert.That(Load(["--config", config]).Reconciler.MaxReplicas, Is.EqualTo(50));
            Assert.That(Load(["--config", config], env).Reconciler.MaxReplicas, Is.EqualTo(20));
            Assert.That(Load(["--config", config, "--max-replicas", "0"], env).Reconciler.MaxReplicas, Is.Zero, "0: no bound");
        });
    }

    [Test]
    public void Load_BadMaxReplicasInTheFile_NamesTheFileLineAndKey()
    {
        var config = WriteConfig("nodeName: a\nmaxReplicas: -3\n");

        var ex = Assert.Throws<UsageException>(() => Load(["--config", config]));

        Assert.That(ex!.Message, Does.Contain($"{config}:2:").And.Contain("maxReplicas must be a whole number of at least 0, got '-3'"));
    }

    [TestCase("10M", "10m")]
    [TestCase("1G", "1g")]
    [TestCase("512K", "512k")]
    [TestCase("10MiB", "10m")]
    [TestCase("10m", "10m")]
    [TestCase("1024", "1024")]
    public void Load_LogMaxSizeInCapitalsAsTheOtherSizesTakeThem_IsGivenToDockerInItsForm(string written, string expected)
    {
        var config = WriteConfig($"logMaxSize: {written}\n");

        var options = Load(["--config", config]);

        Assert.That(options.Reconciler.LogRotation.MaxSize, Is.EqualTo(expected));
    }

    [Test]
    public void Load_LimitsFromFlagEnvAndFile_AreApplied()
    {
        var config = WriteConfig("pidsLimit: \"512\"\nlogMaxSize: 1g\nmaxConnectionsPerAddress: \"64\"\n");

        var options = Load(
            ["--config", config, "--max-held-requests", "7"],
            new Dictionary<string, string> { ["GRADIENT_LOG_MAX_FILES"] = "5" });

        Assert.Multiple(() =>
        {
            Assert.That(options.MaxHeldRequests, Is.EqualTo(7));
            Assert.That(options.Reconciler.PidsLimit, Is.EqualTo(512));
            Assert.That(options.MaxConnectionsPerAddress, Is.EqualTo(64));
            Assert.That(options.Reconciler.LogRotation, Is.EqualTo(new LogRotation("1g", 5)));
        });
    }

    [TestCase("--max-held-requests", "-1")]
    [TestCase("--pids-limit", "lots")]
    [TestCase("--max-replicas", "-1")]
    [TestCase("--max-connections-per-address", "-1")]
    [TestCase("--max-replicas", "many")]
    [TestCase("--log-max-files", "0")]
    [TestCase("--engine-concurrency", "0")]
    [TestCase("--engine-concurrency", "many")]
    [TestCase("--log-max-size", "10 MB")]
    [TestCase("--log-max-size", "0m")]
    [TestCase("--log-max-size", "10m,max-file=100")]
    public void Load_BadLimit_ThrowsUsageExceptionNamingOption(string option, string value)
    {
        var ex = Assert.Throws<UsageException>(() => Load(["--config", _emptyConfig, option, value]));

        Assert.That(ex!.Message, Does.Contain(option).And.Contain(value));
    }

    [Test]
    public void Load_ContainersCgroupFromFileEnvAndFlag_TheSliceByDefaultNoneOffAndAnEscapingPathRefused()
    {
        var config = WriteConfig("containersCgroup: machine-gn.slice\n");
        var env = new Dictionary<string, string> { ["GRADIENT_CONTAINERS_CGROUP"] = "/gradient-node" };

        Assert.Multiple(() =>
        {
            Assert.That(Load(["--config", _emptyConfig]).Engine.ContainersCgroup, Is.EqualTo("gradient-node-containers.slice"));
            Assert.That(Load(["--config", config]).Engine.ContainersCgroup, Is.EqualTo("machine-gn.slice"));
            Assert.That(Load(["--config", config], env).Engine.ContainersCgroup, Is.EqualTo("/gradient-node"));
            Assert.That(Load(["--config", config, "--containers-cgroup", "none"], env).Engine.ContainersCgroup, Is.Empty);
            Assert.That(() => Load(["--config", _emptyConfig, "--containers-cgroup", "/a/../../b"]), Throws.InstanceOf<UsageException>().With.Message.Contains("--containers-cgroup"));
            Assert.That(() => Load(["--config", _emptyConfig, "--containers-cgroup", "gradient"]), Throws.InstanceOf<UsageException>().With.Message.Contains("a slice name"));
        });
    }
}
