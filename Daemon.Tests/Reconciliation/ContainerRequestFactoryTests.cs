using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed class ContainerRequestFactoryTests
{
    private const string Yaml = """
        name: Hello World
        image: nginx:1.27
        command: [/bin/sh, -c, "exec httpd -f"]
        resources:
          machineType: C4
          ports: [8080, 9090]
        env:
          - name: GREETING
            value: hi
          - name: TOKEN
            value: secret:api-token
        """;

    private static readonly ReconcilerOptions Options = new()
    {
        NodeName = "node-7",
        ExtraLabels = new Dictionary<string, string> { ["gradient.test-run"] = "run42" },
    };

    [Test]
    public void Create_Replica_CarriesTheLabelContract()
    {
        var request = ContainerRequestFactory.Create(Parse(Yaml), "0123456789ab", new CreateReplica(1), Options);

        Assert.That(request.Labels, Is.EquivalentTo(new Dictionary<string, string>
        {
            [ContainerLabels.Deployment] = "hello-world",
            [ContainerLabels.Replica] = "1",
            [ContainerLabels.SpecHash] = "0123456789ab",
            [ContainerLabels.Node] = "node-7",
            [ContainerLabels.Name] = "Hello World",
            [ContainerLabels.Restarts] = "0",
            [ContainerLabels.Crashes] = "0",
            [ContainerLabels.Port] = "8080",
            [ContainerLabels.ProbesHash] = ProbesHasher.Compute(HealthChecksSpec.None),
            ["gradient.test-run"] = "run42",
        }));
    }

    [Test]
    public void Create_SpecWithHealthChecks_LabelsTheHashOfItsProbes()
    {
        var spec = Parse(Yaml + "\nhealthChecks:\n  readiness:\n    path: /ready\n");

        var request = ContainerRequestFactory.Create(spec, "0123456789ab", new CreateReplica(0), Options);

        Assert.Multiple(() =>
        {
            Assert.That(request.Labels[ContainerLabels.ProbesHash], Is.EqualTo(ProbesHasher.Compute(spec.HealthChecks)));
            Assert.That(request.Labels[ContainerLabels.ProbesHash], Is.Not.EqualTo(ProbesHasher.Compute(HealthChecksSpec.None)));
        });
    }

    [Test]
    public void Create_StepWithHistory_LabelsRestartsCrashesAndLastExitCode()
    {
        var request = ContainerRequestFactory.Create(Parse(Yaml), "0123456789ab", new CreateReplica(0, Restarts: 3, Crashes: 2, LastExitCode: -1), Options);

        Assert.Multiple(() =>
        {
            Assert.That(request.Labels[ContainerLabels.Restarts], Is.EqualTo("3"));
            Assert.That(request.Labels[ContainerLabels.Crashes], Is.EqualTo("2"));
            Assert.That(request.Labels[ContainerLabels.LastExitCode], Is.EqualTo("-1"));
            Assert.That(ContainerRequestFactory.NullableIntLabel(request.Labels, ContainerLabels.LastExitCode), Is.EqualTo(-1));
        });
    }

    [Test]
    public void Create_ExtraLabelNamingAContractLabel_CannotOverrideIt()
    {
        var options = Options with { ExtraLabels = new Dictionary<string, string> { [ContainerLabels.Node] = "intruder", [ContainerLabels.Deployment] = "other" } };

        var request = ContainerRequestFactory.Create(Parse(Yaml), "0123456789ab", new CreateReplica(0), options);

        Assert.That(request.Labels[ContainerLabels.Node], Is.EqualTo("node-7"));
        Assert.That(request.Labels[ContainerLabels.Deployment], Is.EqualTo("hello-world"));
    }

    [Test]
    public void Create_Replica_NameIsSlugIndexAndShortId()
    {
        var first = ContainerRequestFactory.Create(Parse(Yaml), "0123456789ab", new CreateReplica(2), Options);
        var second = ContainerRequestFactory.Create(Parse(Yaml), "0123456789ab", new CreateReplica(2), Options);

        Assert.That(first.Name, Does.Match("^gradient-hello-world-2-[0-9a-f]{6}$"));
        Assert.That(second.Name, Does.Match("^gradient-hello-world-2-[0-9a-f]{6}$"));
    }

    [Test]
    public void Create_WithCommand_CommandIsEntrypointAndCmdIsEmpty()
    {
        var request = ContainerRequestFactory.Create(Parse(Yaml), "0123456789ab", new CreateReplica(0), Options);

        Assert.That(request.Entrypoint, Is.EqualTo(new[] { "/bin/sh", "-c", "exec httpd -f" }));
        Assert.That(request.Cmd, Is.Not.Null.And.Empty);
        Assert.That(request.Image, Is.EqualTo("nginx:1.27"));
    }

    [Test]
    public void Create_WithoutCommand_KeepsTheImageDefaults()
    {
        var spec = Parse(Yaml.Replace("command: [/bin/sh, -c, \"exec httpd -f\"]\n", string.Empty, StringComparison.Ordinal));

        var request = ContainerRequestFactory.Create(spec, "0123456789ab", new CreateReplica(0), Options);

        Assert.That(request.Entrypoint, Is.Null);
        Assert.That(request.Cmd, Is.Null);
    }

    [Test]
    public void Create_Env_HasLiteralsAndIdsButNoSecretReference()
    {
        var request = ContainerRequestFactory.Create(Parse(Yaml), "0123456789ab", new CreateReplica(1), Options);

        Assert.That(request.Env, Is.EquivalentTo(new[]
        {
            "GREETING=hi",
            "PAPERSPACE_DEPLOYMENT_ID=hello-world",
            "PAPERSPACE_REPLICA_ID=hello-world-1",
        }));
        Assert.That(request.Env, Has.None.Contains("api-token"));
    }

    [Test]
    public void Create_Ports_AreExposed()
    {
        var request = ContainerRequestFactory.Create(Parse(Yaml), "0123456789ab", new CreateReplica(0), Options);

        Assert.That(request.ExposedPorts, Is.EqualTo(new[] { 8080, 9090 }));
    }

    [TestCase("7", 7)]
    [TestCase("-3", -3)]
    [TestCase("x", 0)]
    [TestCase("", 0)]
    [TestCase(null, 0)]
    public void IntLabel_Text_ParsesOrDefaultsToZero(string? text, int expected)
    {
        var labels = text is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["k"] = text };

        Assert.That(ContainerRequestFactory.IntLabel(labels, "k"), Is.EqualTo(expected));
    }

    [Test]
    public void Create_DefaultOptions_SetsPidsLimitAndLogRotation()
    {
        var request = ContainerRequestFactory.Create(Parse(Yaml), "0123456789ab", new CreateReplica(0), new ReconcilerOptions());

        Assert.That(request.PidsLimit, Is.EqualTo(4096));
        Assert.That(request.Log, Is.EqualTo(new GradientNode.Core.Engine.LogRotation("10m", 3)));
    }

    [Test]
    public void Create_PidsLimitZero_LeavesEngineDefault() =>
        Assert.That(ContainerRequestFactory.Create(Parse(Yaml), "0123456789ab", new CreateReplica(0), new ReconcilerOptions { PidsLimit = 0 }).PidsLimit, Is.Null);

    private static DeploymentSpec Parse(string yaml)
    {
        var result = SpecParser.Parse("/specs/hello.yaml", yaml);
        Assert.That(result.Errors.Select(e => e.ToString()), Is.Empty, yaml);
        return result.Spec!;
    }
}
