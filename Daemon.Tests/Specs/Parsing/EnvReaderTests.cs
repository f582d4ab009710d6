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
}
