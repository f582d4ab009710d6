using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.Scripts;

/// <summary>
/// scripts/lib.sh's <c>private_bridge_name</c>: each private dockerd folder gets its own bridge, within the 15
/// characters an interface name holds.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class PrivateBridgeNameTests
{
    [Test]
    public async Task PrivateBridgeName_LongFoldersSharingTheFirst15Characters_DifferentNamesOf15AtMost()
    {
        var con = await NameAsync("/tmp/gn-docker-trial-con");
        var @int = await NameAsync("/tmp/gn-docker-trial-int");

        Assert.Multiple(() =>
        {
            Assert.That(con, Is.Not.EqualTo(@int), "two dockerds on one bridge hand out the same addresses");
            Assert.That(con, Has.Length.LessThanOrEqualTo(15));
            Assert.That(@int, Has.Length.LessThanOrEqualTo(15));
            Assert.That(con, Does.StartWith("gn-docker-"));
            Assert.That(con, Does.Match("^[a-zA-Z0-9-]+$"));
        });
    }

    [Test]
    public async Task PrivateBridgeName_ShortFolder_ItsOwnName()
    {
        var test = await NameAsync("/tmp/gn-test-docker");
        var plain = await NameAsync("/tmp/gn-docker");
        var odd = await NameAsync("/tmp/gn.dock_er");

        Assert.Multiple(() =>
        {
            Assert.That(test, Is.EqualTo("gn-test-docker"));
            Assert.That(plain, Is.EqualTo("gn-docker"));
            Assert.That(odd, Is.EqualTo("gn-dock-er"));
        });
    }

    [Test]
    public async Task PrivateBridgeName_SameFolderTwice_SameName()
    {
        Assert.That(await NameAsync("/tmp/gn-docker-trial-int"), Is.EqualTo(await NameAsync("/tmp/gn-docker-trial-int")), "stop_private_dockerd finds the bridge start made");
    }

    private static async Task<string> NameAsync(string dir)
    {
        var (rc, output) = await ShellTool.RunAsync("bash", ["-c", $"source scripts/lib.sh && private_bridge_name {dir}"]);
        Assert.That(rc, Is.Zero, output);
        return output.Trim();
    }
}
