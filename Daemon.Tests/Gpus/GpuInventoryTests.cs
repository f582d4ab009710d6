using GradientNode.Core.Gpus;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Gpus;

[TestFixture]
[Category("Unit")]
internal sealed class GpuInventoryTests
{
    [Test]
    public async Task RefreshAsync_NoNvidiaSmi_IsACpuBoxWithANote()
    {
        var inventory = new GpuInventory(new ScriptedSmi(null, null), new FakeTimeProvider(), NullLogger<GpuInventory>.Instance);

        var snapshot = await inventory.RefreshAsync(CancellationToken.None);

        Assert.That(snapshot.HasNvidiaSmi, Is.False);
        Assert.That(snapshot.Devices, Is.Empty);
        Assert.That(snapshot.Note, Does.StartWith("no nvidia-smi on PATH: this is a CPU box"));
        Assert.That(GpuPreflight.Warnings(snapshot, [], toolkitOnPath: false), Is.Empty);
    }

    [Test]
    public async Task RefreshAsync_MigOn_AttachesMigDevices()
    {
        var smi = new ScriptedSmi(
            "0, GPU-a, NVIDIA A100-SXM4-80GB, 81920, 0, 0, Disabled\n",
            "GPU 0: NVIDIA A100-SXM4-80GB (UUID: GPU-a)\n  MIG 3g.40gb     Device  0: (UUID: MIG-x)\n");
        var inventory = new GpuInventory(smi, new FakeTimeProvider(), NullLogger<GpuInventory>.Instance);

        var snapshot = await inventory.RefreshAsync(CancellationToken.None);

        Assert.That(snapshot.Devices.Single().MigDevices, Is.EqualTo(new[] { "MIG-x" }));
        Assert.That(snapshot.Note, Is.Null);
        Assert.That(GpuPreflight.Warnings(snapshot, ["runc"], toolkitOnPath: false), Has.Count.EqualTo(3)
            .And.Some.Contains("no 'nvidia' runtime")
            .And.Some.Contains("no NVIDIA Container Toolkit on PATH")
            .And.Some.Contains("persistence mode off"));
    }

    [Test]
    public async Task RefreshAsync_SmiFails_KeepsLastDevicesAndReportsTheError()
    {
        var smi = new ScriptedSmi("0, GPU-a, NVIDIA H100 80GB HBM3, 81559, 0, 0, Enabled\n", string.Empty);
        var inventory = new GpuInventory(smi, new FakeTimeProvider(), NullLogger<GpuInventory>.Instance);
        await inventory.RefreshAsync(CancellationToken.None);

        smi.Failure = "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver";
        var snapshot = await inventory.RefreshAsync(CancellationToken.None);

        Assert.That(snapshot.Devices.Single().Uuid, Is.EqualTo("GPU-a"));
        Assert.That(snapshot.Note, Does.Contain("couldn't communicate"));
    }

    private sealed class ScriptedSmi(string? query, string? list) : INvidiaSmi
    {
        public string? Failure { get; set; }

        public Task<string?> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
            Failure is { } failure ? throw new NvidiaSmiException(failure)
            : Task.FromResult(arguments[0] == "-L" ? list : query);
    }
}
