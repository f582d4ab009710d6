using GradientNode.Daemon.Cli;
using GradientNode.Daemon.Configuration;
using NUnit.Framework;

namespace GradientNode.Tests.Configuration;

/// <summary>node.yaml: a misspelt key stops the node (it used to be ignored silently).</summary>
internal sealed partial class NodeOptionsLoaderTests
{
    [Test]
    public void Load_MisspeltKey_ThrowsWithFileLineColumnAndSuggestion()
    {
        var config = WriteConfig("domain: gpu1.example\nnodename: gpu1\nlabels:\n  team: ml\nsocketGropu: gradient\n");

        var ex = Assert.Throws<UsageException>(() => Load(["--config", config]));

        Assert.That(ex!.Message, Is.EqualTo(
            $"{config}:2:1: unknown key 'nodename'; did you mean 'nodeName'?\n{config}:5:1: unknown key 'socketGropu'; did you mean 'socketGroup'?"));
    }

    [Test]
    public void Load_UnknownKeyEvenWhenTheFlagIsGiven_Throws()
    {
        var config = WriteConfig("whatever: 1\n");

        var ex = Assert.Throws<UsageException>(() => Load(["--config", config, "--domain", "x.example"]));

        Assert.That(ex!.Message, Is.EqualTo($"{config}:1:1: unknown key 'whatever'"));
    }

    [Test]
    public void Load_EveryDocumentedKey_IsAccepted()
    {
        var config = WriteConfig(string.Join("\n", NodeConfigFile.KnownKeys.Where(k => k is not ("machineTypes" or "listen" or "labels" or "gpuModelMustMatch" or "console"))
            .Select(k => $"{k}: \"{(k.EndsWith("Dir", StringComparison.Ordinal) || k == "socket" ? "/tmp/x" : k == "dockerHost" ? "unix:///tmp/x.sock" : k == "httpsRedirect" ? "off" : k == "workflowJobMemory" ? "30%" : k == "containersCgroup" ? "none" : "30")}\"")) + "\ngpuModelMustMatch: false\nlisten: [http://0.0.0.0:81]\nlabels: {a: b}\nmachineTypes: {}\nconsole: {listen: 127.0.0.1:7080}\n");

        Assert.DoesNotThrow(() => Load(["--config", config]));
    }

    [Test]
    public void Load_DeeplyNestedConfig_ThrowsNestingErrorInsteadOfCrashing()
    {
        var config = WriteConfig("labels: " + new string('[', 200_000));

        var ex = Assert.Throws<UsageException>(() => Load(["--config", config]));

        Assert.That(ex!.Message, Does.StartWith($"{config}:1:").And.EndWith("nesting deeper than 64"));
    }

    [Test]
    public void Load_ListItemThatIsAMapping_ThrowsWithPosition()
    {
        var config = WriteConfig("listen:\n  - {a: b}\n");

        var ex = Assert.Throws<UsageException>(() => Load(["--config", config]));

        Assert.That(ex!.Message, Is.EqualTo($"{config}:2:5: listen: expected a list of strings"));
    }
}
