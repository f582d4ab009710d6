using GradientNode.Core.Common;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed class SpecHasherTests
{
    private const string BaseYaml = """
        name: hello
        image: nginx:1.27
        command: [/bin/sh, -c, "sleep 100"]
        resources:
          machineType: C4
          ports: [8080]
          replicas: 2
        env:
          - name: GREETING
            value: hi
        """;

    [Test]
    public void Compute_SameSpecParsedTwice_SameHash()
    {
        Assert.That(SpecHasher.Compute(Parse(BaseYaml)), Is.EqualTo(SpecHasher.Compute(Parse(BaseYaml))));
    }

    [Test]
    public void Compute_AnySpec_IsTwelveLowercaseHexCharacters()
    {
        Assert.That(SpecHasher.Compute(Parse(BaseYaml)), Does.Match("^[0-9a-f]{12}$"));
        Assert.That(SpecHasher.Length, Is.EqualTo(12));
    }

    [TestCase("replicas: 2", "replicas: 5")]
    [TestCase("replicas: 2", "replicas: 0")]
    [TestCase("name: hello", "name: hello\nenabled: false")]
    [TestCase("replicas: 2", "replicas: 2\n  autoscaling:\n    enabled: true\n    maxReplicas: 4\n    metrics:\n      - metric: cpu\n        summary: average\n        value: 50")]
    [TestCase("name: hello", "name: hello\nhealthChecks:\n  readiness:\n    path: /ready\n    port: 8080")]
    [TestCase("name: hello", "name: hello\nbasicAuthKey: secret:auth")]
    public void Compute_FieldThatDoesNotShapeTheContainerChanged_KeepsHash(string from, string to)
    {
        var before = Parse(BaseYaml);
        var after = Parse(BaseYaml.Replace(from, to, StringComparison.Ordinal));

        Assert.That(after, Is.Not.EqualTo(before), "the edit should change the spec");
        Assert.That(SpecHasher.Compute(after), Is.EqualTo(SpecHasher.Compute(before)));
    }

    [TestCase("image: nginx:1.27", "image: nginx:1.28")]
    [TestCase("value: hi", "value: hello")]
    [TestCase("name: GREETING", "name: SALUTATION")]
    [TestCase("value: hi", "value: secret:greeting")]
    [TestCase("\"sleep 100\"", "\"sleep 200\"")]
    [TestCase("command: [/bin/sh, -c, \"sleep 100\"]\n", "")]
    [TestCase("ports: [8080]", "ports: [8081]")]
    [TestCase("ports: [8080]", "ports: [8080, 9090]")]
    [TestCase("machineType: C4", "machineType: A100")]
    [TestCase("name: hello", "name: hello\ncontainerRegistry: my-registry")]
    public void Compute_FieldThatShapesTheContainerChanged_ChangesHash(string from, string to)
    {
        var before = Parse(BaseYaml);
        var after = Parse(BaseYaml.Replace(from, to, StringComparison.Ordinal));

        Assert.That(SpecHasher.Compute(after), Is.Not.EqualTo(SpecHasher.Compute(before)));
    }

    internal const string S3Yaml = """
        name: hello
        image: nginx:1.27
        resources:
          machineType: C4
          ports: [8080]
        integrations:
          - type: s3
            name: weights
            url: s3://models/llama
            endpoint: http://127.0.0.1:9000
            region: us-east-1
            accessKeyId: AKIA1
            secretAccessKey: secret:s3key
        """;

    // Before, an edit of these left the hash as it was: the running replicas kept the content the old credentials
    // fetched, `apply --wait` said "rolled out" (or repeated the old version's fetch failure after a fix), and diff
    // said "integrations changed: no replica starts".
    [TestCase("accessKeyId: AKIA1", "accessKeyId: AKIA2")]
    [TestCase("secretAccessKey: secret:s3key", "secretAccessKey: secret:s3key2")]
    [TestCase("region: us-east-1", "region: eu-west-1")]
    [TestCase("    accessKeyId: AKIA1\n", "")]
    public void Compute_IntegrationCredentialsOrRegionChanged_ChangesHash(string from, string to)
    {
        var before = Parse(S3Yaml);
        var after = Parse(S3Yaml.Replace(from, to, StringComparison.Ordinal));

        Assert.That(after, Is.Not.EqualTo(before), "the edit should change the spec");
        Assert.That(SpecHasher.Compute(after), Is.Not.EqualTo(SpecHasher.Compute(before)));
    }

    [Test]
    public void Compute_LegacyRepositoryPasswordSecretChanged_ChangesHash()
    {
        const string legacy = """
            name: legacy
            image: nginx:1.27
            port: 8080
            resources:
              instanceType: C4
            repositories:
              dataset: code
              repositories:
                - name: private
                  url: https://git.example/private.git
                  username: bot
                  password: secret:gitpw
            """;
        var before = Parse(legacy);
        var after = Parse(legacy.Replace("secret:gitpw", "secret:gitpw2", StringComparison.Ordinal));

        Assert.That(SpecHasher.Compute(after), Is.Not.EqualTo(SpecHasher.Compute(before)));
    }

    [Test]
    public void Compute_IntegrationWithoutCredentialsOrRegion_HashAsBefore()
    {
        // A spec with none of them keeps the hash an earlier node gave its replicas, so an upgrade replaces none.
        var spec = Parse("""
            name: hello
            image: nginx:1.27
            resources:
              machineType: C4
              ports: [8080]
            integrations:
              - type: s3
                name: weights
                url: s3://models/llama
                endpoint: http://127.0.0.1:9000
            """);

        Assert.That(SpecHasher.Compute(spec), Is.EqualTo("86a8fa870f09"));
    }

    [Test]
    public void ComputeBeforeCredentials_IntegrationWithCredentials_TheHashANodeBeforeThemGaveItsReplicas()
    {
        // The spec above with a key, its secret and a region, which a node before 2026-12-07 left out of the hash: its
        // replicas carry 86a8fa870f09, and CredentialsHashOverlay takes them as the current version's.
        var spec = Parse(S3Yaml);

        Assert.Multiple(() =>
        {
            Assert.That(SpecHasher.ComputeBeforeCredentials(spec), Is.EqualTo("86a8fa870f09"));
            Assert.That(SpecHasher.Compute(spec), Is.Not.EqualTo("86a8fa870f09"));
        });
    }

    [Test]
    public void ComputeBeforeCredentials_NoCredentials_NullTheHashIsTheSame()
    {
        Assert.That(SpecHasher.ComputeBeforeCredentials(Parse(BaseYaml)), Is.Null);
    }

    [Test]
    public void Compute_EmptyCommandVersusNoCommand_DifferentHashes()
    {
        var spec = Parse(BaseYaml);

        Assert.That(
            SpecHasher.Compute(spec with { Command = EquatableArray<string>.Empty }),
            Is.Not.EqualTo(SpecHasher.Compute(spec with { Command = null })));
    }

    [Test]
    public void Compute_ExtraValues_ChangeHashButNotTheirOrder()
    {
        var spec = Parse(BaseYaml);
        var ab = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" };
        var ba = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" };

        Assert.Multiple(() =>
        {
            Assert.That(SpecHasher.Compute(spec, ab), Is.Not.EqualTo(SpecHasher.Compute(spec)));
            Assert.That(SpecHasher.Compute(spec, ab), Is.EqualTo(SpecHasher.Compute(spec, ba)));
        });
    }

    [Test]
    public void NewShortId_Twice_IsSixHexAndDiffers()
    {
        var ids = Enumerable.Range(0, 20).Select(_ => SpecHasher.NewShortId()).ToList();

        Assert.That(ids, Is.All.Match("^[0-9a-f]{6}$"));
        Assert.That(ids.Distinct().Count(), Is.GreaterThan(1));
    }

    internal static DeploymentSpec Parse(string yaml)
    {
        var result = SpecParser.Parse("/specs/hello.yaml", yaml);
        Assert.That(result.Errors.Select(e => e.ToString()), Is.Empty, yaml);
        return result.Spec!;
    }
}
