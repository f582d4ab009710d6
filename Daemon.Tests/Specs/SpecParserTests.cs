using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Specs;

[TestFixture]
[Category("Unit")]
internal sealed partial class SpecParserTests
{
    private const string MinimalV1 = """
        apiVersion: v1
        name: my cool deployment
        image: nginx:1.27
        resources:
          machineType: C4
          ports: [8080]
        """;

    [Test]
    public void Parse_MinimalV1_AppliesDefaults()
    {
        var spec = ParseValid(MinimalV1);
        Assert.Multiple(() =>
        {
            Assert.That(spec.Dialect, Is.EqualTo(SpecDialect.Current));
            Assert.That(spec.Enabled, Is.True);
            Assert.That(spec.Resources.Replicas, Is.EqualTo(1));
            Assert.That(spec.Resources.Ports, Is.EqualTo(new[] { 8080 }));
            Assert.That(spec.Resources.Autoscaling, Is.Null);
            Assert.That(spec.HealthChecks.IsEmpty, Is.True);
            Assert.That(spec.Command, Is.Null);
            Assert.That(spec.IsDisabled, Is.False);
        });
    }

    [Test]
    public void Parse_NameWithSpaces_SlugIsDnsLabel()
    {
        var spec = ParseValid(MinimalV1);
        Assert.That(spec.Name, Is.EqualTo("my cool deployment"));
        Assert.That(spec.Slug, Is.EqualTo("my-cool-deployment"));
    }

    [Test]
    public void Parse_NoApiVersionWithoutLegacyKeys_IsInferredV1()
    {
        var spec = ParseValid(MinimalV1.Replace("apiVersion: v1\n", string.Empty, StringComparison.Ordinal));
        Assert.That(spec.ApiVersion, Is.EqualTo("v1"));
        Assert.That(spec.Dialect, Is.EqualTo(SpecDialect.Current));
    }

    [Test]
    public void Parse_LegacyWithoutNameOrPort_UsesFileStemAndPort80()
    {
        var result = SpecParser.Parse("/etc/gradient/specs/legacy-app.yaml", """
            image: nginx
            resources:
              instanceType: C4
            models:
              - id: mo1
            """);
        Assert.That(result.Errors, Is.Empty);
        var spec = result.Spec!;
        Assert.Multiple(() =>
        {
            Assert.That(spec.Dialect, Is.EqualTo(SpecDialect.Legacy));
            Assert.That(spec.ApiVersion, Is.EqualTo("v0alpha0"));
            Assert.That(spec.Name, Is.EqualTo("legacy-app"));
            Assert.That(spec.Slug, Is.EqualTo("legacy-app"));
            Assert.That(spec.Resources.Ports, Is.EqualTo(new[] { 80 }));
            Assert.That(spec.Resources.MachineType, Is.EqualTo("C4"));
            Assert.That(spec.Resources.Replicas, Is.EqualTo(1));
            Assert.That(spec.Models, Is.EqualTo(new[] { new ModelSpec("mo1", "/opt/models") }));
        });
    }

    [Test]
    public void Parse_ProbeWithOnlyPath_GetsDefaultTimings()
    {
        var spec = ParseValid(MinimalV1 + "\nhealthChecks:\n  liveness:\n    path: /healthz\n");
        var probe = spec.HealthChecks.Liveness!;
        Assert.Multiple(() =>
        {
            Assert.That(probe.Action, Is.EqualTo(ProbeAction.Http));
            Assert.That(probe.InitialDelaySeconds, Is.Zero);
            Assert.That(probe.PeriodSeconds, Is.EqualTo(10));
            Assert.That(probe.TimeoutSeconds, Is.EqualTo(1));
            Assert.That(probe.FailureThreshold, Is.EqualTo(3));
            Assert.That(probe.Port, Is.Null);
        });
    }

    [Test]
    public void Parse_ExecProbe_KeepsCommand()
    {
        var spec = ParseValid(MinimalV1 + "\nhealthChecks:\n  startup:\n    exec:\n      command: [cat, /ready]\n    failureThreshold: 6\n");
        var probe = spec.HealthChecks.Startup!;
        Assert.That(probe.Action, Is.EqualTo(ProbeAction.Exec));
        Assert.That(probe.ExecCommand, Is.EqualTo(new[] { "cat", "/ready" }));
        Assert.That(probe.FailureThreshold, Is.EqualTo(6));
    }

    [Test]
    public void Parse_Integrations_MountPathIsPathSlashName()
    {
        var spec = ParseValid(MinimalV1 + """

            integrations:
              - type: git-lfs
                name: falcon
                path: /models/
                url: https://huggingface.co/tiiuae/falcon-7b
              - type: model
                name: llama
                id: mo1
              - type: volume
                name: scratch
            """);
        Assert.That(spec.Integrations.Select(i => i.MountPath), Is.EqualTo(new[] { "/models/falcon", "/opt/models/llama", null }));
    }

    [Test]
    public void Parse_GitLfsWithCredentials_UserAndSecretReferenceForAPrivateRepository()
    {
        var spec = ParseValid(MinimalV1 + """

            integrations:
              - type: git-lfs
                name: llama
                url: https://huggingface.co/meta-llama/Llama-2-7b
                accessKeyId: hf-user
                secretAccessKey: secret:hf-token
            """);

        var integration = spec.Integrations.Single();
        Assert.That(integration.AccessKeyId, Is.EqualTo("hf-user"));
        Assert.That(integration.SecretAccessKey, Is.EqualTo(new SecretRef("hf-token", false)));
    }

    [Test]
    public void Parse_Autoscaling_DefaultsEnabledAndAverage()
    {
        var spec = ParseValid(MinimalV1 + "\n  autoscaling:\n    maxReplicas: 3\n    metrics:\n      - metric: requestDuration\n        value: 0.15\n");
        var autoscaling = spec.Resources.Autoscaling!;
        Assert.That(autoscaling.Enabled, Is.True);
        Assert.That(autoscaling.Metrics, Is.EqualTo(new[] { new AutoscalingMetricSpec(AutoscalingMetric.RequestDuration, "average", 0.15) }));
    }

    [TestCase("secret:my_secret", "my_secret", false)]
    [TestCase("SECRET:paperspace-github-token", "paperspace-github-token", false)]
    [TestCase("secret:ephemeral:abc123", "abc123", true)]
    public void Parse_SecretReference_IsParsed(string reference, string name, bool ephemeral)
    {
        var spec = ParseValid(MinimalV1 + $"\nbasicAuthKey: {reference}\nenv:\n  - name: X\n    value: {reference}\n");
        Assert.That(spec.BasicAuthKey, Is.EqualTo(new SecretRef(name, ephemeral)));
        Assert.That(spec.Env[0].Value, Is.EqualTo(SpecValue.Of(new SecretRef(name, ephemeral))));
    }

    [Test]
    public void Parse_RequiredKeyMisspelt_OneErrorWithTheSuggestionNotASecondSayingItIsMissing()
    {
        var result = SpecParser.Parse("spec.yaml", "apiVersion: v1\nname: hello\nimage: a:1\nresources:\n  machinetype: C4\n  ports: [8080]\n");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "spec.yaml:5:3: unknown field 'machinetype' in resources; did you mean 'machineType'?",
        }));
    }

    [Test]
    public void Parse_RequiredKeyAbsentAndAnUnrelatedUnknownKey_BothReported()
    {
        var result = SpecParser.Parse("spec.yaml", "apiVersion: v1\nname: hello\nimage: a:1\nresources:\n  colour: C4\n  ports: [8080]\n");

        Assert.That(result.Errors.Select(e => e.Message), Has.Some.Contains("missing required field 'machineType'").And.Some.Contains("unknown field 'colour'"));
    }

    [Test]
    public void Parse_ProbeWrittenAsEllipsis_ErrorSaysItIsAPlaceholder()
    {
        var result = SpecParser.Parse("spec.yaml", MinimalV1 + "\nhealthChecks:\n  liveness:\n    ...\n");
        Assert.That(result.Errors, Has.Count.EqualTo(1));
        Assert.That(result.Errors[0].Message, Does.StartWith("healthChecks.liveness: expected a mapping, got '...'").And.Contain("or remove the key"));
    }

    [Test]
    public void Parse_PlaintextBasicAuthKey_ErrorSaysHowToStoreTheSecret()
    {
        var result = SpecParser.Parse("spec.yaml", MinimalV1 + "\nbasicAuthKey: hunter2\n");
        Assert.That(result.Errors, Has.Count.EqualTo(1));
        Assert.That(result.Errors[0].Message, Does.Contain("gradient-node secrets set NAME").And.Contain("write secret:NAME"));
        Assert.That(result.Errors[0].Message, Does.Not.Contain("hunter2"));
    }

    [TestCase("basicAuthKey: {0}\n")]
    [TestCase("integrations:\n  - type: s3\n    name: b\n    url: s3://b/\n    secretAccessKey: {0}\n")]
    [TestCase("integrations:\n  - type: git-lfs\n    name: b\n    url: https://huggingface.co/x/y\n    secretAccessKey: {0}\n")]
    public void Parse_PlaintextSecret_ErrorDoesNotEchoValue(string fragment)
    {
        const string Plaintext = "TopSecretValue123";
        var result = SpecParser.Parse("spec.yaml", MinimalV1 + "\n" + string.Format(fragment, Plaintext));
        Assert.That(result.Spec, Is.Null);
        Assert.That(result.Errors, Has.Count.EqualTo(1));
        Assert.That(result.Errors[0].Message, Does.Contain("plaintext secrets are not accepted"));
        Assert.That(result.Errors[0].Message, Does.Not.Contain(Plaintext));
    }

    [Test]
    public void Parse_PlaintextRepositoryPassword_ErrorDoesNotEchoValue()
    {
        const string Plaintext = "ghp_TopSecretValue123";
        var result = SpecParser.Parse("spec.yaml", $"image: x\nport: 80\nresources:\n  instanceType: C4\nrepositories:\n  dataset: d\n  repositories:\n    - name: r\n      url: https://x/y.git\n      password: {Plaintext}\n");
        Assert.That(result.Errors, Has.Count.EqualTo(1));
        Assert.That(result.Errors[0].ToString(), Does.Not.Contain(Plaintext));
    }

    [TestCase("")]
    [TestCase("   \n# only a comment\n")]
    [TestCase("{")]
    [TestCase("a: [1\nb: 2\n")]
    [TestCase("\t- x")]
    [TestCase("image: &a [*a]")]
    [TestCase("? [a, b]\n: c\n")]
    public void Parse_BadInput_ReturnsErrorsWithoutThrowing(string text)
    {
        var result = SpecParser.Parse("spec.yaml", text);
        Assert.That(result.Spec, Is.Null);
        Assert.That(result.Errors, Is.Not.Empty);
        Assert.That(result.Errors.All(e => e.Line >= 1 && e.Column >= 1), Is.True);
    }

    [Test]
    public void Parse_DuplicateKey_IsLocatedSyntaxError()
    {
        var result = SpecParser.Parse("spec.yaml", MinimalV1 + "\nimage: other\n");
        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[] { "spec.yaml:7:1: invalid YAML: duplicate key 'image': a mapping holds each key once, so keep one of the two" }));
    }

    [Test]
    public void Parse_TwoDocuments_IsErrorThatSaysWhatToDo()
    {
        var result = SpecParser.Parse("spec.yaml", MinimalV1 + "\n---\nimage: x\n");
        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[] { "spec.yaml:8:1: expected a single YAML document, found more than one (a file holds one spec: move each document after a '---' line to a file of its own)" }));
    }

    [TestCase("\n---\n")]
    [TestCase("\n---\n# the end\n")]
    [TestCase("\n---\n---\n...\n")]
    public void Parse_TrailingEmptyDocument_IsSkipped(string tail) =>
        Assert.That(ParseValid("---\n" + MinimalV1 + tail).Name, Is.EqualTo("my cool deployment"));

    [Test]
    public void Parse_TabIndentedJson_Parses()
    {
        var spec = ParseValid("{\n\t\"name\": \"app\",\n\t\"image\": \"nginx\",\n\t\"resources\": {\"machineType\": \"C4\", \"ports\": [80]}\n}");
        Assert.That(spec.Resources.Ports, Is.EqualTo(new[] { 80 }));
    }

    [Test]
    public void Parse_Errors_AreSortedByLineThenColumn()
    {
        var result = SpecParser.Parse("spec.yaml", "resources:\n  replicas: x\n  ports: [0]\nimage: [1]\nfoo: 1\n");
        var positions = result.Errors.Select(e => (e.Line, e.Column)).ToList();
        Assert.That(positions, Is.EqualTo(positions.OrderBy(p => p.Line).ThenBy(p => p.Column)));
        Assert.That(result.Errors, Has.Count.GreaterThanOrEqualTo(5));
    }

    [Test]
    public void Parse_SameText_GivesEqualSpecs() =>
        Assert.That(ParseValid(MinimalV1), Is.EqualTo(ParseValid(MinimalV1)));

    private static DeploymentSpec ParseValid(string text)
    {
        var result = SpecParser.Parse("spec.yaml", text);
        Assert.That(result.Errors.Select(e => e.ToString()), Is.Empty);
        return result.Spec!;
    }
}
