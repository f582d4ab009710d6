using GradientNode.Core.Specs;
using GradientNode.Core.Workflows.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Specs.Parsing;

/// <summary>Type errors of numbers and booleans say which spelling was meant, when what was written shows it.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class TypeHintsTests
{
    private const string Minimal = "name: web\nimage: nginx:1.27\nresources:\n  machineType: C4\n  ports: [8080]\n";

    [TestCase("enabled: yes\n", "enabled: expected true or false, got 'yes' (YAML 1.2 reads only true and false as booleans: write true)")]
    [TestCase("enabled: Off\n", "enabled: expected true or false, got 'Off' (YAML 1.2 reads only true and false as booleans: write false)")]
    [TestCase("enabled: \"true\"\n", "enabled: expected true or false, got the quoted string 'true' (write it without quotes: true)")]
    [TestCase("healthChecks:\n  readiness:\n    path: /\n    timeoutSeconds: 5s\n", "healthChecks.readiness.timeoutSeconds: expected an integer, got '5s' (timeoutSeconds counts seconds: write 5)")]
    [TestCase("healthChecks:\n  startup:\n    path: /\n    initialDelaySeconds: 1m30s\n", "healthChecks.startup.initialDelaySeconds: expected an integer, got '1m30s' (initialDelaySeconds counts seconds: write 90)")]
    [TestCase("healthChecks:\n  readiness:\n    path: /\n    periodSeconds: \"10\"\n", "healthChecks.readiness.periodSeconds: expected an integer, got the quoted string '10' (a number is written without quotes: 10)")]
    [TestCase("healthChecks:\n  readiness:\n    path: /\n    periodSeconds: 500ms\n", "healthChecks.readiness.periodSeconds: expected an integer, got '500ms'")]
    [TestCase("healthChecks:\n  readiness:\n    path: /\n    failureThreshold: 5s\n", "healthChecks.readiness.failureThreshold: expected an integer, got '5s'")]
    public void Parse_NumberOrBooleanSpeltAnotherWay_ErrorSaysWhatToWrite(string extra, string message)
    {
        var result = SpecParser.Parse("spec.yaml", Minimal + extra);

        Assert.That(result.Errors.Select(e => e.Message), Is.EqualTo(new[] { message }));
    }

    [Test]
    public void Parse_QuotedPort_ErrorSaysToDropTheQuotes()
    {
        var result = SpecParser.Parse("spec.yaml", Minimal.Replace("[8080]", "[\"8080\"]", StringComparison.Ordinal));

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "spec.yaml:5:11: resources.ports[0]: expected an integer, got the quoted string '8080' (a number is written without quotes: 8080)",
        }));
    }

    [TestCase("1h", "jobs.a.timeout: expected a number, got '1h' (timeout counts seconds: write 3600)")]
    [TestCase("1500ms", "jobs.a.timeout: expected a number, got '1500ms' (timeout counts seconds: write 1.5)")]
    [TestCase("'60'", "jobs.a.timeout: expected a number, got the quoted string '60' (a number is written without quotes: 60)")]
    public void Parse_WorkflowTimeoutAsADuration_ErrorSaysTheSeconds(string timeout, string message)
    {
        var result = WorkflowParser.Parse("w.yaml", $"jobs:\n  a:\n    uses: container@v1\n    timeout: {timeout}\n    with:\n      image: bash:5\n      args: [echo]\n");

        Assert.That(result.Errors.Select(e => e.Message), Is.EqualTo(new[] { message }));
    }
}
