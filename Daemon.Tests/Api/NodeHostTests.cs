using GradientNode.Daemon.Api;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

[TestFixture]
[Category("Unit")]
internal sealed class NodeHostTests
{
    [Test]
    public void MemTotal_MeminfoText_IsTheTotalInBytes() =>
        Assert.That(NodeHost.MemTotal("MemTotal:       16314876 kB\nMemFree:         1234 kB\n"), Is.EqualTo(16314876L * 1024));

    [TestCase(null)]
    [TestCase("")]
    [TestCase("MemFree: 1234 kB\nMemTotal: lots kB\n")]
    public void MemTotal_MissingOrUnreadable_IsNull(string? text) => Assert.That(NodeHost.MemTotal(text), Is.Null);

    [Test]
    public void Current_ThisMachine_HasCpusAndMemory()
    {
        var host = NodeHost.Current();

        Assert.That(host.Cpus, Is.EqualTo(Environment.ProcessorCount));
        Assert.That(host.MemoryBytes, Is.GreaterThan(0));
    }
}
