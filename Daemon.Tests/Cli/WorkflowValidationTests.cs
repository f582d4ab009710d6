using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

/// <summary>
/// <c>validate</c> of a workflow whose instance type the built-in table lacks: a warning, as for a deployment's machine
/// type (node.yaml's <c>machineTypes</c> may add it, and the daemon then runs the file), not an error.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class WorkflowValidationTests
{
    [Test]
    public void Print_InstanceTypeNodeYamlMayAdd_OkWithAWarningPerJobUsingIt()
    {
        var (ok, output, error) = Validate("""
            defaults:
              resources:
                instance-type: tiny
            jobs:
              a:
                uses: container@v1
                with: {image: busybox}
              b:
                uses: container@v1
                resources:
                  instance-type: C6
                with: {image: busybox}
              c:
                uses: container@v1
                resources:
                  instance-type: C55
                with: {image: busybox}
            """);

        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.True, error);
            Assert.That(output, Does.StartWith("wf.yaml: ok (workflow, 3 job(s): a, b, c)"));
            Assert.That(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
            {
                "wf.yaml:3:20: warning: jobs.a: instance-type 'tiny' is not a built-in machine type; unless node.yaml's machineTypes adds it, the node refuses the run",
                "wf.yaml:16:22: warning: jobs.c: instance-type 'C55' is not a built-in machine type (did you mean 'C5'?); unless node.yaml's machineTypes adds it, the node refuses the run",
            }));
        });
    }

    [Test]
    public void Print_BuiltInTypesAndOtherErrors_NoWarningAndErrorsStillReported()
    {
        var (ok, _, error) = Validate("""
            jobs:
              a:
                uses: container@v1
                resources:
                  instance-type: c4
                with: {image: busybox}
                neds: [b]
            """);

        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.False);
            Assert.That(error, Does.Contain("unknown field 'neds' in jobs.a; did you mean 'needs'?").And.Not.Contain("warning"));
        });
    }

    private static (bool Ok, string Output, string Error) Validate(string text)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var ok = WorkflowValidation.Print("wf.yaml", text, output, error);
        return (ok, output.ToString(), error.ToString().Replace("\r", string.Empty, StringComparison.Ordinal));
    }
}
