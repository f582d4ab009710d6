using GradientNode.Proxy.Forwarding;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Forwarding;

[TestFixture]
[Category("Unit")]
internal sealed class EngineThreadsTests
{
    [Test]
    public void CurrentSlot_OnAThreadOfAnotherName_IsNone() =>
        Assert.That(SlotsOn(name: "worker"), Is.EqualTo((-1, -1)));

    [Test]
    public void CurrentSlot_OnAThreadNamedAsTheRuntimesEngineThreads_IsOneSlotThatStays()
    {
        var (first, again) = SlotsOn(EngineThreads.ThreadName);

        Assert.That(again, Is.EqualTo(first));
        // Slots are numbered once per process; this test's thread gets one unless earlier threads took them all.
        Assert.That(first, Is.InRange(-1, EngineThreads.MaxSlots - 1));
    }

    private static (int First, int Again) SlotsOn(string name)
    {
        (int, int) slots = default;
        var thread = new Thread(() => slots = (EngineThreads.CurrentSlot, EngineThreads.CurrentSlot)) { Name = name };
        thread.Start();
        thread.Join();
        return slots;
    }
}
