using GradientNode.Core.Workflows.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Specs;

/// <summary>
/// The NVIDIA Container Toolkit reads more than <c>NVIDIA_VISIBLE_DEVICES</c> from a job's env: MIG control and host
/// devices (IMEX channels, GDRCopy, GPUDirect Storage, MOFED, NVSwitch). A workflow may set none of them (found by the
/// thirteenth adversary review); the node sets its own values in every container.
/// </summary>
internal sealed partial class WorkflowParserTests
{
    [TestCase("NVIDIA_MIG_CONFIG_DEVICES: all", "jobs.j.env.NVIDIA_MIG_CONFIG_DEVICES: NVIDIA_MIG_CONFIG_DEVICES asks the NVIDIA Container Toolkit for control of the GPUs' MIG configuration")]
    [TestCase("NVIDIA_GDS: enabled", "jobs.j.env.NVIDIA_GDS: NVIDIA_GDS asks the NVIDIA Container Toolkit for host devices the node gives no container; it sets NVIDIA_GDS=disabled in every container")]
    public void Parse_JobEnvSetsAnNvidiaToolkitVariableTheNodeOwns_ErrorAtTheKey(string entry, string message)
    {
        var result = WorkflowParser.Parse("w.yaml", $"jobs:\n  j:\n    uses: container@v1\n    with:\n      image: busybox\n    env:\n      A: b\n      {entry}\n");

        Assert.Multiple(() =>
        {
            Assert.That(result.Spec, Is.Null);
            Assert.That(result.Errors.Select(e => e.ToString()), Has.Exactly(1).StartsWith($"w.yaml:8:7: {message}"));
        });
    }

    [Test]
    public void Parse_DefaultsEnvAsksForTheDisplayCapability_ErrorAtTheValue()
    {
        var result = WorkflowParser.Parse("w.yaml", "defaults:\n  env:\n    NVIDIA_DRIVER_CAPABILITIES: compute,display\njobs:\n  j:\n    uses: container@v1\n    with:\n      image: busybox\n");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "w.yaml:3:33: defaults.env.NVIDIA_DRIVER_CAPABILITIES: NVIDIA_DRIVER_CAPABILITIES: 'compute,display' is not 'all' or a list of compat32, compute, graphics, ngx, utility, video ('display' is refused: it gives the host's modeset device; 'all' means all of these)",
        }));
    }

    [Test]
    public void Parse_JobEnvAsksForAllCapabilitiesAndAllDevices_Valid()
    {
        // As guides write them: the node narrows 'all' and its own devices win (GpuVisibility).
        var result = WorkflowParser.Parse("w.yaml", "jobs:\n  j:\n    uses: container@v1\n    with:\n      image: busybox\n    env:\n      NVIDIA_DRIVER_CAPABILITIES: all\n      NVIDIA_VISIBLE_DEVICES: all\n");

        Assert.That(result.Errors, Is.Empty);
    }

    [Test]
    public void Parse_JobEnvWithAllowedCapabilitiesAndOtherNvidiaVariables_Valid()
    {
        var result = WorkflowParser.Parse("w.yaml", "jobs:\n  j:\n    uses: container@v1\n    with:\n      image: busybox\n    env:\n      NVIDIA_DRIVER_CAPABILITIES: compute,utility,video\n      NVIDIA_TF32_OVERRIDE: 0\n");

        Assert.That(result.Errors, Is.Empty);
    }
}
