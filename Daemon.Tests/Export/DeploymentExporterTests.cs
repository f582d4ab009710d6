using GradientNode.Core.Export;
using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Export;

[TestFixture]
[Category("Unit")]
internal sealed partial class DeploymentExporterTests
{
    private static readonly ExportOptions Options = new() { Namespace = "ml", Domain = "apps.example.org" };

    private static readonly string[][] Cases =
    [
        ["seed-000-v1-full", "specs/valid/seed-000-v1-full/spec.yaml"],
        ["seed-001-legacy-full", "specs/valid/seed-001-legacy-full/spec.yaml"],
        ["seed-001-legacy-container-registry", "specs/valid/seed-001-legacy-container-registry/spec.yaml"],
        ["seed-001-legacy-models", "specs/valid/seed-001-legacy-models/spec.yaml"],
        ["seed-001-legacy-repositories", "specs/valid/seed-001-legacy-repositories/spec.yaml"],
        ["healthchecks-alias", "specs/valid/healthchecks-alias/spec.yaml"],
        ["protocol-h2c", "specs/valid/protocol-h2c/spec.yaml"],
        ["do-spaces-alias", "specs/valid/do-spaces-alias/spec.yaml"],
        ["hello", "export/hello/spec.yaml"],
    ];

    [TestCaseSource(nameof(Cases))]
    public void Export_SeedSpec_MatchesGoldenFile(string caseName, string input)
    {
        var result = DeploymentExporter.Export(Parse(input), input, Options);

        ExportGolden.Check(caseName, result);
    }

    [Test]
    public void Export_SecretsEverywhere_NoSecretValueInOutputAndCommandsHavePlaceholders()
    {
        var spec = Parse("specs/valid/seed-000-v1-full/spec.yaml");

        var result = DeploymentExporter.Export(spec, "spec.yaml", Options);
        var yaml = ManifestWriter.Stream(result.Documents);

        Assert.That(yaml, Does.Contain("key: mySecretEnv").And.Contain("key: secretAccessKey"));
        Assert.That(yaml, Does.Not.Match("value: .?secret:"), "a secret reference left as a literal value");
        Assert.That(yaml, Does.Contain("nginx.ingress.kubernetes.io/auth-secret: my-cool-deployment-basic-auth"));
        Assert.That(result.SecretCommands, Has.Some.Contains("--from-literal=mySecretEnv=<value of secret mySecretEnv>"));
        Assert.That(result.SecretCommands, Has.Some.Contains("htpasswd -nbB paperspace '<value of secret my_paperspace_secret>'"));
    }

    [Test]
    public void Export_LegacyModelsAndRegion_WarnsAndCommentsNeverDrops()
    {
        var spec = Parse("specs/valid/seed-001-legacy-models/spec.yaml") with { Region = "ny2" };

        var result = DeploymentExporter.Export(spec, "spec.yaml", Options);
        var yaml = ManifestWriter.Stream(result.Documents);

        Assert.That(result.Warnings, Has.Some.Contains("models[model-id]: not exported"));
        Assert.That(result.Warnings, Has.Some.Contains("region: not exported"));
        foreach (var warning in result.Warnings)
        {
            Assert.That(yaml, Does.Contain($"# {warning}"));
        }
    }

    [Test]
    public void Export_Disabled_ZeroReplicasAndAutoscalingWarned()
    {
        var spec = Parse("specs/valid/seed-000-v1-full/spec.yaml") with { Enabled = false };

        var result = DeploymentExporter.Export(spec, "spec.yaml", Options);
        var yaml = ManifestWriter.Stream(result.Documents);

        Assert.That(yaml, Does.Contain("replicas: 0"));
        Assert.That(yaml, Does.Not.Contain("kind: ScaledObject"));
        Assert.That(result.Warnings, Has.Some.Contains("resources.autoscaling: not exported"));
    }

    [Test]
    public void Export_CpuAndMemoryOnly_HpaWithFiveMinuteScaleDown()
    {
        var spec = Parse("specs/valid/seed-000-v1-full/spec.yaml");
        var cpuOnly = spec with
        {
            Resources = spec.Resources with
            {
                Autoscaling = spec.Resources.Autoscaling! with { Metrics = new([.. spec.Resources.Autoscaling.Metrics.Where(m => m.Metric != AutoscalingMetric.RequestDuration)]) },
            },
        };

        var yaml = ManifestWriter.Stream(DeploymentExporter.Export(cpuOnly, "spec.yaml", Options with { PersistentVolumes = true }).Documents);

        Assert.That(yaml, Does.Contain("kind: HorizontalPodAutoscaler").And.Contain("averageUtilization: 50").And.Contain("stabilizationWindowSeconds: 300"));
        Assert.That(yaml, Does.Contain("kind: PersistentVolumeClaim").And.Contain("claimName: my-cool-deployment-falcon"));
        ExportGolden.AssertStructure(yaml);
    }

    [Test]
    public void Export_HelperImagesAndClaimOptions_EveryFetchAndClaimUsesThem()
    {
        var options = Options with
        {
            PersistentVolumes = true, GitImage = "registry.example.org/tools/git:2", S3Image = "registry.example.org/tools/aws:2",
            VolumeSize = "50Gi", StorageClass = "fast-ssd",
        };

        var full = ManifestWriter.Stream(DeploymentExporter.Export(Parse("specs/valid/seed-000-v1-full/spec.yaml"), "spec.yaml", options).Documents);
        var repos = ManifestWriter.Stream(DeploymentExporter.Export(Parse("specs/valid/seed-001-legacy-repositories/spec.yaml"), "spec.yaml", options).Documents);

        Assert.That(full, Does.Contain("image: registry.example.org/tools/git:2").And.Contain("image: registry.example.org/tools/aws:2"));
        Assert.That(repos, Does.Contain("image: registry.example.org/tools/git:2"));
        Assert.That(full + repos, Does.Not.Contain(ExportOptions.DefaultGitImage).And.Not.Contain(ExportOptions.DefaultS3Image));
        var claims = (full + repos).Split("---\n").Where(d => d.Contains("kind: PersistentVolumeClaim", StringComparison.Ordinal)).ToList();
        Assert.That(claims, Has.Count.EqualTo(3), "falcon, the s3 integration, the repositories");
        Assert.That(claims, Has.All.Contains("storage: 50Gi").And.All.Contains("storageClassName: fast-ssd"));
    }

    [Test]
    public void Export_EphemeralBasicAuthKey_HtpasswdCommandNamesTheEphemeralSecret()
    {
        var parsed = SpecParser.Parse("spec.yaml", "name: app\nimage: nginx:1.27\nresources: {machineType: C4, ports: [8080]}\nbasicAuthKey: secret:ephemeral:gate\n");
        Assert.That(parsed.IsValid, Is.True, string.Join('\n', parsed.Errors));

        var result = DeploymentExporter.Export(parsed.Spec!, "spec.yaml", Options);

        Assert.That(result.SecretCommands, Has.Some.Contains("htpasswd -nbB paperspace '<value of secret:ephemeral:gate>'"));
    }

    [Test]
    public void Export_DefaultOptions_DefaultHelperImagesAndNoStorageClass()
    {
        var yaml = ManifestWriter.Stream(DeploymentExporter.Export(Parse("specs/valid/seed-000-v1-full/spec.yaml"), "spec.yaml", Options with { PersistentVolumes = true }).Documents);

        Assert.That(yaml, Does.Contain($"image: {ExportOptions.DefaultGitImage}").And.Contain($"image: {ExportOptions.DefaultS3Image}"));
        Assert.That(yaml, Does.Contain($"storage: {ExportOptions.DefaultVolumeSize}").And.Not.Contain("storageClassName"));
    }

    [TestCase("url: my-bucket/models\n    endpoint: https://nyc3.digitaloceanspaces.com", "s3://my-bucket/models", "https://nyc3.digitaloceanspaces.com")]
    [TestCase("endpoint: https://my-bucket.nyc3.digitaloceanspaces.com/models", "s3://my-bucket/models", "https://nyc3.digitaloceanspaces.com")]
    [TestCase("url: my-bucket/models\n    endpoint: nyc3.digitaloceanspaces.com", "s3://my-bucket/models", "https://nyc3.digitaloceanspaces.com")]
    [TestCase("url: my-bucket/models\n    endpoint: minio.internal:9000/s3", "s3://my-bucket/models", "https://minio.internal:9000/s3")]
    public void Export_SpacesIntegration_SyncsTheBucketTheNodeWouldRead(string location, string expectedUrl, string expectedEndpoint)
    {
        var text = $"apiVersion: v1\nname: app\nimage: nginx:1.27\nresources:\n  machineType: C4\n  ports: [8080]\nintegrations:\n  - type: do-spaces\n    name: weights\n    {location}\n    path: /data\n";
        var parsed = SpecParser.Parse("spec.yaml", text);
        Assert.That(parsed.IsValid, Is.True, string.Join('\n', parsed.Errors));

        var yaml = ManifestWriter.Stream(DeploymentExporter.Export(parsed.Spec!, "spec.yaml", Options).Documents);

        Assert.That(yaml, Does.Contain($"- sync\n        - {expectedUrl}\n        - /data/weights\n        - --endpoint-url\n        - {expectedEndpoint}\n"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Export_IntegrationNamesThatDifferOnlyWhereANameCannot_VolumesContainersAndClaimsNamedApart(bool persistentVolumes)
    {
        var longName = new string('a', 70);
        var text = $$"""
            name: fetch-weights-a
            image: nginx:1.27
            resources: {machineType: C4, ports: [8080]}
            integrations:
              - {name: Weights_A, type: s3, url: s3://b/p}
              - {name: weights-a, type: git-lfs, url: https://example.com/r.git, path: /data}
              - {name: {{longName}}_one, type: volume}
              - {name: {{longName}}_two, type: volume}
            """;
        var parsed = SpecParser.Parse("spec.yaml", text);
        Assert.That(parsed.IsValid, Is.True, string.Join('\n', parsed.Errors));

        var documents = DeploymentExporter.Export(parsed.Spec!, "spec.yaml", Options with { PersistentVolumes = persistentVolumes }).Documents;

        var pod = documents.Select(d => d.Body).OfType<k8s.Models.V1Deployment>().Single().Spec.Template.Spec;
        var claims = pod.Volumes.Where(v => v.PersistentVolumeClaim is not null).Select(v => v.PersistentVolumeClaim.ClaimName).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(pod.Volumes.Select(v => v.Name), Is.Unique.And.All.Length.LessThanOrEqualTo(63));
            Assert.That(pod.InitContainers.Concat(pod.Containers).Select(c => c.Name), Is.Unique, "the app container is named fetch-weights-a too");
            Assert.That(claims, Is.Unique.And.All.Length.LessThanOrEqualTo(63));
            Assert.That(pod.Containers.Single().VolumeMounts.Select(m => m.Name), Is.EquivalentTo(pod.Volumes.Select(v => v.Name)));
            Assert.That(documents.Select(d => d.FileName), Is.Unique);
        });
    }

    [Test]
    public void Export_GitLfsWithCredentials_CloneGetsTheUserAndThePasswordFromTheSecret()
    {
        var text = """
            name: app
            image: nginx:1.27
            resources: {machineType: C4, ports: [8080]}
            integrations:
              - {name: llama, type: git-lfs, url: https://huggingface.co/x/y, accessKeyId: hf-user, secretAccessKey: secret:hf-token}
            """;
        var parsed = SpecParser.Parse("spec.yaml", text);
        Assert.That(parsed.IsValid, Is.True, string.Join('\n', parsed.Errors));

        var pod = DeploymentExporter.Export(parsed.Spec!, "spec.yaml", Options).Documents.Select(d => d.Body).OfType<k8s.Models.V1Deployment>().Single().Spec.Template.Spec;

        var env = pod.InitContainers.Single().Env.ToDictionary(e => e.Name);
        Assert.Multiple(() =>
        {
            Assert.That(env["GIT_USERNAME"].Value, Is.EqualTo("hf-user"));
            Assert.That(env["GIT_PASSWORD"].ValueFrom.SecretKeyRef.Key, Is.EqualTo("hf-token"));
        });
    }

    [Test]
    public void Export_EphemeralSecretBesideAProjectSecretOfTheSameName_ReadFromItsOwnSecretAndNoted()
    {
        var text = """
            name: app
            image: nginx:1.27
            resources: {machineType: C4, ports: [8080]}
            env:
              - {name: A, value: secret:token}
              - {name: B, value: secret:ephemeral:token}
            """;
        var parsed = SpecParser.Parse("spec.yaml", text);
        Assert.That(parsed.IsValid, Is.True, string.Join('\n', parsed.Errors));

        var result = DeploymentExporter.Export(parsed.Spec!, "spec.yaml", Options);

        var env = result.Documents.Select(d => d.Body).OfType<k8s.Models.V1Deployment>().Single().Spec.Template.Spec.Containers.Single().Env;
        Assert.Multiple(() =>
        {
            Assert.That(env.Select(e => $"{e.Name}={e.ValueFrom.SecretKeyRef.Name}/{e.ValueFrom.SecretKeyRef.Key}"), Is.EqualTo(new[] { "A=gradient-secrets/token", "B=gradient-ephemeral-secrets/token" }));
            Assert.That(result.Warnings, Has.One.Contains("secret:ephemeral:token").And.Contains("gradient-ephemeral-secrets"));
            Assert.That(result.SecretCommands, Has.One.EqualTo("kubectl -n ml create secret generic gradient-ephemeral-secrets --from-literal=token=<value of secret:ephemeral:token>"));
            Assert.That(result.SecretCommands, Has.One.StartWith("kubectl -n ml create secret generic gradient-secrets --from-literal=token="));
        });
    }

    [Test]
    public void Export_NameStartingWithADigit_ServiceNameStartsWithALetterAndTheIngressRoutesToIt()
    {
        var parsed = SpecParser.Parse("spec.yaml", "name: 3D Model\nimage: nginx:1.27\nresources: {machineType: C4, ports: [8080]}\n");
        Assert.That(parsed.IsValid, Is.True, string.Join('\n', parsed.Errors));

        var result = DeploymentExporter.Export(parsed.Spec!, "spec.yaml", Options);

        var service = result.Documents.Select(d => d.Body).OfType<k8s.Models.V1Service>().Single();
        var ingress = result.Documents.Select(d => d.Body).OfType<k8s.Models.V1Ingress>().Single();
        Assert.Multiple(() =>
        {
            Assert.That(service.Metadata.Name, Is.EqualTo("svc-3d-model"));
            Assert.That(service.Metadata.Labels[Names.NameLabel], Is.EqualTo("3d-model"));
            Assert.That(service.Spec.Selector[Names.NameLabel], Is.EqualTo("3d-model"));
            Assert.That(ingress.Spec.Rules.Single().Http.Paths.Single().Backend.Service.Name, Is.EqualTo("svc-3d-model"));
            Assert.That(ingress.Spec.Rules.Single().Host, Is.EqualTo("3d-model.apps.example.org"));
            Assert.That(result.Warnings, Has.One.Contains("svc-3d-model"));
        });
    }

    private static DeploymentSpec Parse(string input)
    {
        var path = Path.Combine(ExportGolden.TestData, input);
        var result = SpecParser.Parse(path, File.ReadAllText(path));
        Assert.That(result.IsValid, Is.True, string.Join('\n', result.Errors));
        return result.Spec!;
    }
}
