using GradientNode.Core.Gpus;
using GradientNode.Tests.Reconciliation;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Gpus;

/// <summary>
/// A machine type may ask for more memory or CPUs than the host has (C10: 240 GiB, 32 CPUs). Docker accepts such a
/// memory limit (checked: <c>docker run -m 240g</c> on a 23.6 GiB host), which then limits nothing; replicas get the
/// host's at most, and status says so.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class GpuAssignerTests
{
    private const long GiB = 1L << 30;

    [Test]
    public async Task AcquireAsync_TypeAsksMoreMemoryThanTheHostHas_LimitIsTheHostsMemory()
    {
        var assigner = Assigner(hostCpus: 4, hostMemory: 16 * GiB);

        using var lease = await assigner.AcquireAsync("big", 0, "C10", CancellationToken.None);
        var request = lease.Apply(new Core.Engine.ContainerCreateRequest { Name = "n", Image = "i" });

        Assert.Multiple(() =>
        {
            Assert.That(request.MemoryBytes, Is.EqualTo(16 * GiB));
            Assert.That(request.NanoCpus, Is.EqualTo(4_000_000_000L));
        });
    }

    [Test]
    public async Task AcquireAsync_TypeFitsTheHost_LimitIsTheTypesMemory()
    {
        var assigner = Assigner(hostCpus: 4, hostMemory: 16 * GiB);

        using var lease = await assigner.AcquireAsync("small", 0, "C4", CancellationToken.None);

        Assert.That(lease.MemoryBytes, Is.EqualTo(4 * GiB));
    }

    [Test]
    public void Limits_TypeAsksMoreThanTheHostHas_NamesTheFieldTheTypeAndWhatTheHostHas()
    {
        var assigner = Assigner(hostCpus: 2, hostMemory: 23_600_000_000);

        Assert.That(assigner.Limits("C10"), Is.EqualTo(new[]
        {
            "resources.machineType C10 asks for 32 CPUs; this host has 2, so each replica is limited to 2",
            "resources.machineType C10 asks for 240 GiB of memory; this host has 22 GiB, so each replica is limited to 22 GiB",
        }));
    }

    [Test]
    public void Limits_TypeFitsOrIsUnknownOrHostMemoryUnknown_NoNote()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Assigner(hostCpus: 4, hostMemory: 16 * GiB).Limits("C4"), Is.Empty);
            Assert.That(Assigner(hostCpus: 4, hostMemory: 16 * GiB).Limits("Z9000"), Is.Empty);
            Assert.That(Assigner(hostCpus: 64, hostMemory: null).Limits("C10"), Is.Empty);
        });
    }

    private static GpuAssigner Assigner(int hostCpus, long? hostMemory) => new(
        new RecordingEngine(),
        new GpuInventory(new NoSmi(), TimeProvider.System, NullLogger<GpuInventory>.Instance),
        MachineTypeTable.BuiltIn,
        "default",
        NullLogger<GpuAssigner>.Instance,
        hostCpus,
        hostMemory);

    private sealed class NoSmi : INvidiaSmi
    {
        public Task<string?> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
    }
}
