using GradientNode.Core.Datasets;
using GradientNode.Core.Integrations;
using GradientNode.Core.Secrets;
using NUnit.Framework;

namespace GradientNode.Tests.Integrations;

[TestFixture]
[Category("Unit")]
internal sealed class VolumePlannerTests
{
    private static readonly SecretResolution Secrets = new(new Dictionary<string, string> { ["s3key"] = "the-secret" }, []);
    private string _state = null!;
    private VolumeStores _stores = null!;

    [SetUp]
    public void SetUp()
    {
        _state = Directory.CreateTempSubdirectory("gn-plan-").FullName;
        _stores = new VolumeStores(_state);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_state, recursive: true);

    [Test]
    public void Plan_S3Integration_ReadOnlyAtPathSlashNameInTheContentCache()
    {
        var plan = VolumePlanner.Plan(IntegrationTestSpecs.V1(IntegrationTestSpecs.S3()), Secrets, _stores);

        var volume = plan.Volumes.Single();
        Assert.That(plan.Problems, Is.Empty);
        Assert.That(volume.Field, Is.EqualTo("integrations[data]"));
        Assert.That(volume.MountPath, Is.EqualTo("/opt/data/data"));
        Assert.That(volume.ReadOnly, Is.True);
        Assert.That(volume.HostPath, Is.EqualTo(Path.Combine(_stores.CacheDir, volume.Key)));
        Assert.That(volume.Source, Is.EqualTo(new S3Source("bucket", "prefix/", null, "http://127.0.0.1:9000", "AKID", "the-secret")
        {
            Fields = CredentialFields.Integration("s3key"),
        }));
    }

    [Test]
    public void Plan_GitLfsWithCredentials_CloneGetsTheUserAndTheSecretsValue()
    {
        var spec = IntegrationTestSpecs.V1(IntegrationTestSpecs.GitLfs("hf-user", "secret:s3key"));

        var volume = VolumePlanner.Plan(spec, Secrets, _stores).Volumes.Single();

        Assert.That(volume.Source, Is.EqualTo(new GitSource("https://huggingface.co/meta-llama/Llama-2-7b", null, "hf-user", "the-secret")
        {
            Fields = CredentialFields.Integration("s3key"),
        }));
        Assert.That(volume.Source!.ToString(), Does.Not.Contain("the-secret"));
    }

    [Test]
    public void Plan_GitLfsWithCredentials_ARefusalNamesAccessKeyIdAndTheSecretNeverUsernameOrAValue()
    {
        var spec = IntegrationTestSpecs.V1(IntegrationTestSpecs.GitLfs("hf-user", "secret:s3key"));

        var hint = ((GitSource)VolumePlanner.Plan(spec, Secrets, _stores).Volumes.Single().Source!).CredentialsHint();

        // Before: "check the repository's username and password", fields a git-lfs integration does not have.
        Assert.That(hint, Is.EqualTo("check accessKeyId and secretAccessKey (secret:s3key)"));
        Assert.That(hint, Does.Not.Contain("the-secret").And.Not.Contain("username"));
    }

    [Test]
    public void Plan_GitLfsWithOnlyTheSecret_ARefusalSaysTheDefaultUserWasSentAndAccessKeyIdIsNotSet()
    {
        var spec = IntegrationTestSpecs.V1(IntegrationTestSpecs.GitLfs(secretAccessKey: "secret:s3key"));

        var hint = ((GitSource)VolumePlanner.Plan(spec, Secrets, _stores).Volumes.Single().Source!).CredentialsHint();

        Assert.That(hint, Is.EqualTo("check secretAccessKey (secret:s3key) (sent with the user 'gradient', as accessKeyId is not set)"));
    }

    [Test]
    public void Plan_GitLfsWithoutCredentials_ARefusalSaysWhichFieldsToSet()
    {
        var spec = IntegrationTestSpecs.V1(IntegrationTestSpecs.GitLfs());

        var hint = ((GitSource)VolumePlanner.Plan(spec, Secrets, _stores).Volumes.Single().Source!).CredentialsHint();

        Assert.That(hint, Is.EqualTo("the repository asks for credentials; the spec gives no credentials: set accessKeyId and secretAccessKey: secret:NAME"));
    }

    [Test]
    public void Plan_S3WithCredentials_AnAccessDeniedNamesAccessKeyIdAndTheSecret()
    {
        var hint = ((S3Source)VolumePlanner.Plan(IntegrationTestSpecs.V1(IntegrationTestSpecs.S3()), Secrets, _stores).Volumes.Single().Source!).CredentialsHint();

        // Before: "check the access key id and the secret access key", in words that are not the spec's fields.
        Assert.That(hint, Is.EqualTo("check accessKeyId and secretAccessKey (secret:s3key)"));
    }

    [Test]
    public void Plan_LegacyRepositoryWithPassword_ARefusalNamesTheRepositorysFields()
    {
        var spec = IntegrationTestSpecs.Legacy("""
            repositories:
              dataset: code
              repositories:
                - name: app
                  url: https://example.com/app.git
                  username: bot
                  password: secret:s3key
            """);

        var set = (RepositorySetSource)VolumePlanner.Plan(spec, Secrets, _stores).Volumes.Single().Source!;

        Assert.That(set.Repositories.Single().Git.CredentialsHint(), Is.EqualTo("check repositories[app].username and repositories[app].password (secret:s3key)"));
    }

    [Test]
    public void Plan_SameBlockInTwoSpecVersions_SameKey()
    {
        var one = VolumePlanner.Plan(IntegrationTestSpecs.V1(IntegrationTestSpecs.S3(), replicas: 1), Secrets, _stores);
        var two = VolumePlanner.Plan(IntegrationTestSpecs.V1(IntegrationTestSpecs.S3(), replicas: 3), Secrets, _stores);

        Assert.That(two.Volumes.Single().Key, Is.EqualTo(one.Volumes.Single().Key));
    }

    [Test]
    public void Plan_LegacyModelInsideRepositoriesMount_ProblemNamingBoth()
    {
        Directory.CreateDirectory(_stores.Models.PathOf("llama", "1"));
        var spec = IntegrationTestSpecs.Legacy("""
            models:
              - id: llama
            repositories:
              dataset: code
              mountPath: /opt/models
              repositories:
                - name: one
                  url: https://example.invalid/one.git
            """);

        var plan = VolumePlanner.Plan(spec, Secrets, _stores);

        Assert.That(plan.Problems.Single(), Does.Contain("repositories[code]").And.Contain("overlaps models[llama]"));
    }

    [Test]
    public void Plan_ModelMissingFromTheStore_ProblemSaysHowToAddIt()
    {
        var spec = IntegrationTestSpecs.V1("  - type: model\n    name: llm\n    id: llama");

        var plan = VolumePlanner.Plan(spec, Secrets, _stores);

        Assert.That(plan.Problems.Single(), Does.Contain("integrations[llm]").And.Contain("gradient-node models add llama --from DIR"));
    }

    [Test]
    public void Plan_ModelVersionMissingButOthersThere_ProblemListsTheVersionsInsteadOfSayingAddIt()
    {
        Directory.CreateDirectory(_stores.Models.PathOf("llama", "1"));
        Directory.CreateDirectory(_stores.Models.PathOf("llama", "2"));
        var spec = IntegrationTestSpecs.V1("  - type: model\n    name: llm\n    id: llama:7");

        var plan = VolumePlanner.Plan(spec, Secrets, _stores);

        Assert.That(plan.Volumes, Is.Empty);
        Assert.That(plan.Problems.Single(), Is.EqualTo(
            "integrations[llm]: model 'llama:7' is not in the node's model store: 'llama' has no version 7, only 1, 2 (use one of them, or id: llama for the newest, 2)"));
    }

    [Test]
    public void Plan_ModelIdThatIsNotAStoreName_ProblemAndNoVolumeEvenPastTheParser()
    {
        // The parser refuses such ids; a spec built another way must still not mount /opt/models/.. (defence in depth).
        Directory.CreateDirectory(Path.Combine(_stores.Models.Root, "x", "1"));
        var parsed = IntegrationTestSpecs.V1("  - type: model\n    name: llm\n    id: llama");
        var spec = parsed with { Models = new([new GradientNode.Core.Specs.ModelSpec("../..", "/opt/models")]) };

        var plan = VolumePlanner.Plan(spec, Secrets, _stores);

        Assert.That(plan.Volumes, Is.Empty);
        Assert.That(plan.Problems, Has.Some.StartsWith("models[../..]: '../..' is not a valid model id"));
    }

    [Test]
    public void Plan_ModelInTheStore_LatestVersionAtOptModelsName()
    {
        Directory.CreateDirectory(_stores.Models.PathOf("llama", "1"));
        Directory.CreateDirectory(_stores.Models.PathOf("llama", "2"));

        var plan = VolumePlanner.Plan(IntegrationTestSpecs.V1("  - type: model\n    name: llm\n    id: llama"), Secrets, _stores);

        Assert.That(plan.Volumes.Single(), Has.Property("MountPath").EqualTo("/opt/models/llm").And.Property("HostPath").EqualTo(_stores.Models.PathOf("llama", "2")));
    }

    [Test]
    public void Plan_LegacyRepositories_OneDatasetVersionMountedAtMountPath()
    {
        var spec = IntegrationTestSpecs.Legacy("""
            repositories:
              dataset: code
              mountPath: /opt/code
              repositories:
                - name: one
                  url: https://example.invalid/one.git
                - name: two
                  url: https://example.invalid/two.git
                  ref: v1
            """);

        var volume = VolumePlanner.Plan(spec, Secrets, _stores).Volumes.Single();

        Assert.That(volume.Kind, Is.EqualTo(VolumeKind.Dataset));
        Assert.That(volume.MountPath, Is.EqualTo("/opt/code"));
        Assert.That(volume.HostPath, Is.EqualTo(_stores.Datasets.ContentPathOf("code", DatasetVersionIds.FromKey(volume.Key))));
        Assert.That(volume.Dataset, Is.EqualTo(("code", DatasetVersionIds.FromKey(volume.Key))));
        Assert.That(((RepositorySetSource)volume.Source!).Repositories.Select(r => r.Name), Is.EqualTo(new[] { "one", "two" }));
    }

    [Test]
    public void Plan_NamedVolume_ReadWritePerDeployment()
    {
        var volume = VolumePlanner.Plan(IntegrationTestSpecs.V1("  - type: volume\n    name: scratch"), Secrets, _stores).Volumes.Single();

        Assert.That(volume.ReadOnly, Is.False);
        Assert.That(volume.HostPath, Is.EqualTo(Path.Combine(_stores.NamedDir, "app", "scratch")));
    }
}
