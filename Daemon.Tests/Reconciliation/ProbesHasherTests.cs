using GradientNode.Core.Reconciliation;
using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed class ProbesHasherTests
{
    private const string Readiness = """
        healthChecks:
          readiness:
            path: /ready
        """;

    [Test]
    public void Compute_SameProbes_SameHash()
    {
        Assert.That(ProbesHasher.Compute(Checks(Readiness)), Is.EqualTo(ProbesHasher.Compute(Checks(Readiness))));
    }

    [Test]
    public void Compute_DefaultsWrittenOut_SameHashAsLeftOut()
    {
        var written = Readiness + "\n    periodSeconds: 10\n    timeoutSeconds: 1\n    failureThreshold: 3\n    initialDelaySeconds: 0\n";

        Assert.That(ProbesHasher.Compute(Checks(written)), Is.EqualTo(ProbesHasher.Compute(Checks(Readiness))));
    }

    [TestCase("healthChecks:\n  readiness:\n    path: /readyz\n")]
    [TestCase("healthChecks:\n  readiness:\n    path: /ready\n    port: 9090\n")]
    [TestCase("healthChecks:\n  readiness:\n    path: /ready\n    host: example.com\n")]
    [TestCase("healthChecks:\n  readiness:\n    path: /ready\n    headers:\n      - name: X-Probe\n        value: a\n")]
    [TestCase("healthChecks:\n  readiness:\n    path: /ready\n    periodSeconds: 5\n")]
    [TestCase("healthChecks:\n  readiness:\n    path: /ready\n    timeoutSeconds: 2\n")]
    [TestCase("healthChecks:\n  readiness:\n    path: /ready\n    failureThreshold: 1\n")]
    [TestCase("healthChecks:\n  readiness:\n    path: /ready\n    initialDelaySeconds: 4\n")]
    [TestCase("healthChecks:\n  liveness:\n    path: /ready\n")]
    [TestCase("healthChecks:\n  startup:\n    path: /ready\n")]
    [TestCase("healthChecks:\n  readiness:\n    path: /ready\n  liveness:\n    path: /ready\n")]
    [TestCase("healthChecks:\n  readiness:\n    exec:\n      command: [\"true\"]\n")]
    [TestCase("")]
    public void Compute_AnyFieldOfAnyProbeChanged_OtherHash(string other)
    {
        Assert.That(ProbesHasher.Compute(Checks(other)), Is.Not.EqualTo(ProbesHasher.Compute(Checks(Readiness))));
    }

    [Test]
    public void Compute_OtherHeaderValue_OtherHash()
    {
        const string a = "healthChecks:\n  readiness:\n    path: /ready\n    headers:\n      - name: X-Probe\n        value: a\n";

        Assert.That(ProbesHasher.Compute(Checks(a)), Is.Not.EqualTo(ProbesHasher.Compute(Checks(a.Replace("value: a", "value: b", StringComparison.Ordinal)))));
    }

    [Test]
    public void Compute_ProbesLeftOutOfTheSpecHash_HashOfTheSpecUnchanged()
    {
        // The probes' hash is a label of its own, so that upgrading the node changes no spec hash (and rolls nothing).
        Assert.That(SpecHasher.Compute(Spec(Readiness)), Is.EqualTo(SpecHasher.Compute(Spec(string.Empty))));
    }

    private static HealthChecksSpec Checks(string yaml) => Spec(yaml).HealthChecks;

    private static DeploymentSpec Spec(string yaml)
    {
        var result = SpecParser.Parse("spec.yaml", $"apiVersion: v1\nname: hello\nimage: a:1\n{yaml}\nresources:\n  machineType: C4\n  ports: [8080]\n");
        Assert.That(result.Errors, Is.Empty, string.Join("; ", result.Errors));
        return result.Spec!;
    }
}
