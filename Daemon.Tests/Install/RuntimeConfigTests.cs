using System.Text.Json;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Install;

/// <summary>The runtime settings the published binary carries in <c>gradient-node.runtimeconfig.json</c>.</summary>
[TestFixture]
[Category("Install")]
public sealed class RuntimeConfigTests
{
    [Test]
    public void Published_TieringThreshold_OneThousandCallsForEveryRole()
    {
        var file = GradientNodeProcess.BinaryPath() + ".runtimeconfig.json";
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        var properties = json.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.That(properties.GetProperty("System.Runtime.TieredCompilation.CallCountThreshold").GetInt32(), Is.EqualTo(1000));
        Assert.That(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean(), Is.True, "the proxy's hot path keeps profile-guided code");
    }
}
