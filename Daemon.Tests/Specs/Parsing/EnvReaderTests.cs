using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Specs.Parsing;

[TestFixture]
[Category("Unit")]
internal sealed class EnvReaderTests
{
    private const string Minimal = "name: web\nimage: nginx:1.27\nresources:\n  machineType: C4\n  ports: [8080]\n";

    [TestCase("MY VAR")]
    [TestCase("TOKEN ")]
    public void Parse_EnvNameWithWhitespace_ErrorAtTheName(string name)
    {
        // The engine passed 'MY VAR=x', and a shell (command: [/bin/sh, -c, …]) dropped it: the program never saw it.
        var result = SpecParser.Parse("spec.yaml", Minimal + $"env:\n  - name: '{name}'\n    value: x\n");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "spec.yaml:7:11: env[0].name: must not contain whitespace (a shell between the container's start and the program drops such a variable): write MY_VAR, not MY VAR",
        }));
    }

    [Test]
    public void Parse_EnvNamesOfGradientsExample_Accepted()
    {
        var result = SpecParser.Parse("spec.yaml", Minimal + "env:\n  - name: some-env\n    value: some-value\n  - name: my.var_2\n    value: x\n");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.Empty);
    }

    [TestCase("NVIDIA_MIG_CONFIG_DEVICES", "all", "control of the GPUs' MIG configuration")]
    [TestCase("NVIDIA_MIG_MONITOR_DEVICES", "all", "control of the GPUs' MIG configuration")]
    [TestCase("NVIDIA_IMEX_CHANNELS", "0", "host devices the node gives no container; it sets NVIDIA_IMEX_CHANNELS=void")]
    [TestCase("NVIDIA_GDRCOPY", "enabled", "it sets NVIDIA_GDRCOPY=disabled")]
    [TestCase("NVIDIA_GDS", "enabled", "it sets NVIDIA_GDS=disabled")]
    [TestCase("NVIDIA_MOFED", "enabled", "it sets NVIDIA_MOFED=disabled")]
    [TestCase("NVIDIA_NVSWITCH", "enabled", "it sets NVIDIA_NVSWITCH=disabled")]
    public void Parse_EnvSetsAnNvidiaToolkitVariableTheNodeOwns_ErrorAtTheNameSayingWhy(string name, string value, string why)
    {
        var result = SpecParser.Parse("spec.yaml", Minimal + $"env:\n  - name: A\n    value: b\n  - name: {name}\n    value: '{value}'\n");

        Assert.That(result.Errors.Select(e => e.ToString()), Has.Exactly(1).StartsWith($"spec.yaml:9:11: env[1].name: {name} ").And.Contains(why));
    }

    [TestCase("display")]
    [TestCase("compute,display")]
    [TestCase("all,display")]
    [TestCase("")]
    public void Parse_DriverCapabilitiesBeyondTheAllowed_ErrorAtTheValueNamingTheAllowedOnes(string value)
    {
        var result = SpecParser.Parse("spec.yaml", Minimal + $"env:\n  - name: NVIDIA_DRIVER_CAPABILITIES\n    value: '{value}'\n");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            $"spec.yaml:8:12: env[0].value: NVIDIA_DRIVER_CAPABILITIES: '{value}' is not 'all' or a list of compat32, compute, graphics, ngx, utility, video ('display' is refused: it gives the host's modeset device; 'all' means all of these)",
        }));
    }

    [Test]
    public void Parse_AllDriverCapabilitiesAndVisibleDevicesAsSpecsOftenWriteThem_Accepted()
    {
        // Guides and pasted docker habits write both; the node narrows 'all' and never lets the devices win (GpuVisibility).
        var result = SpecParser.Parse(
            "spec.yaml",
            Minimal + "env:\n  - name: NVIDIA_DRIVER_CAPABILITIES\n    value: all\n  - name: NVIDIA_VISIBLE_DEVICES\n    value: all\n");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.Empty);
    }

    [Test]
    public void Parse_AllowedDriverCapabilitiesAndOtherNvidiaVariables_Accepted()
    {
        var result = SpecParser.Parse(
            "spec.yaml",
            Minimal + "env:\n  - name: NVIDIA_DRIVER_CAPABILITIES\n    value: compute, utility,video\n  - name: NVIDIA_TF32_OVERRIDE\n    value: '0'\n  - name: NVIDIA_DISABLE_REQUIRE\n    value: '1'\n");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.Empty);
    }
}
