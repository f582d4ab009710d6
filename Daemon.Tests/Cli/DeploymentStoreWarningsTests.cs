using GradientNode.Core.Integrations;
using GradientNode.Core.Registries;
using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;
using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class DeploymentStoreWarningsTests
{
    private const string Spec = """
        name: app
        image: ghcr.io/team/app:1
        containerRegistry: ghcr
        basicAuthKey: secret:api-pw
        env:
          - name: TOKEN
            value: secret:hf-token
          - name: PLAIN
            value: hello
          - name: GONE
            value: secret:ephemeral:k
        integrations:
          - name: weights
            type: s3
            url: s3://b/p
            accessKeyId: AKIA
            secretAccessKey: secret:s3-key
          - name: tiny
            type: model
            id: tiny:2
        resources: {machineType: C4, ports: [80]}
        """;

    private static readonly DateTimeOffset When = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static NodeStores Stores(string[] secrets, string[] registries, params StoreEntry[] models) => new(
        [.. secrets.Select(n => new SecretInfo(n, When))],
        [.. registries.Select(n => new RegistryInfo(n, "https://ghcr.io", "bot", null, When))],
        models);

    private static List<string> Warnings(NodeStores stores) =>
        [.. DeploymentStoreWarnings.Of(SpecParser.Parse("app.yaml", Spec).Spec!, stores)];

    [Test]
    public void Of_EverythingStored_NoWarning() =>
        Assert.That(Warnings(Stores(["api-pw", "hf-token", "s3-key"], ["ghcr"], new StoreEntry("tiny", ["1", "2"], "2", 1, 1))), Is.Empty);

    [Test]
    public void Of_NothingStored_OneWarningPerFieldNamingTheNameAndWhatWillHappen()
    {
        var warnings = Warnings(Stores([], []));

        Assert.That(warnings, Is.EqualTo(new[]
        {
            "warning: env[TOKEN]: secret 'hf-token' is not set on this node; this version starts no replica until: gradient-node secrets set hf-token",
            "warning: basicAuthKey: secret 'api-pw' is not set on this node; this version starts no replica until: gradient-node secrets set api-pw"
                + " (meanwhile its endpoint refuses every request, unless an earlier version was served with another secret's password, which it keeps)",
            "warning: integrations[weights].secretAccessKey: secret 's3-key' is not set on this node; this version starts no replica until: gradient-node secrets set s3-key",
            "warning: containerRegistry: 'ghcr' is not a stored registry connection; this version starts no replica until: gradient-node registries add ghcr --url ghcr.io --username U --password-stdin",
            "warning: integrations[tiny].id: model 'tiny:2' is not in the node's model store; this version starts no replica until: gradient-node models add tiny --from DIR",
        }));
    }

    [TestCase("127.0.0.1:5000/team/web:1", "--url 127.0.0.1:5000 ")]
    [TestCase("team/web:1", "--url docker.io ")]
    public void Of_RegistryMissing_TheAddLineNamesTheImagesRegistryHost(string image, string url)
    {
        // Before: "--url URL", while the image a line above names the host the connection is for.
        var spec = SpecParser.Parse("app.yaml", $"name: app\nimage: {image}\ncontainerRegistry: team\nresources: {{machineType: C4, ports: [80]}}\n").Spec!;

        var warnings = DeploymentStoreWarnings.Of(spec, Stores([], [])).ToList();

        Assert.That(warnings, Is.EqualTo(new[] { $"warning: containerRegistry: 'team' is not a stored registry connection; this version starts no replica until: gradient-node registries add team {url}--username U --password-stdin" }));
    }

    private static List<string> GpuWarnings(string machineType, int? gpus, string? note = null, string extra = "") =>
        [.. DeploymentStoreWarnings.Of(
            SpecParser.Parse("app.yaml", $"name: app\nimage: team/web:1\n{extra}resources: {{machineType: {machineType}, ports: [80]}}\n").Spec!,
            Stores([], []) with { Gpus = gpus, GpuNote = note })];

    [Test]
    public void Of_GpuMachineTypeOnANodeWithoutGpus_SaysNoReplicaCanStartHereAndWhy()
    {
        // Before: apply said nothing, and the deployment waited in Progressing for good (newuser14).
        Assert.That(GpuWarnings("A100-80G", 0, "no nvidia-smi on PATH: this is a CPU box; machine types with GPUs wait"), Is.EqualTo(new[]
        {
            "warning: resources.machineType: 'A100-80G' needs 1 GPU per replica and this node has no GPUs (no nvidia-smi on PATH: this is a CPU box; machine types with GPUs wait); "
                + "no replica of this version can start here (its replicas wait for GPUs for good): name a machine type this node can run "
                + "(gradient-node node lists its GPUs; C4 and C5 need none)",
        }));
    }

    [Test]
    public void Of_MoreGpusPerReplicaThanTheNodeHas_SaysHowManyItHas() =>
        Assert.That(GpuWarnings("A100x4", 2), Has.Exactly(1).StartsWith("warning: resources.machineType: 'A100x4' needs 4 GPUs per replica and this node has only 2;"));

    [TestCase("A100x4", 4, "")]
    [TestCase("A100", null, "")]
    [TestCase("C4", 0, "")]
    [TestCase("A100", 0, "enabled: false\n")]
    public void Of_GpusEnoughUnknownNotNeededOrDisabled_NoGpuWarning(string machineType, int? gpus, string extra) =>
        Assert.That(GpuWarnings(machineType, gpus, extra: extra), Is.Empty);

    [Test]
    public void Of_StoredNamesCloseOrInAnotherCase_DidYouMean()
    {
        var warnings = Warnings(Stores(["API-PW", "hf_token", "s3-key"], ["ghrc"], new StoreEntry("Tiny", ["2"], "2", 1, 1)));

        Assert.Multiple(() =>
        {
            Assert.That(warnings, Has.Some.StartsWith("warning: basicAuthKey: secret 'api-pw' is not set on this node (did you mean 'API-PW'?);"));
            Assert.That(warnings, Has.Some.StartsWith("warning: env[TOKEN]: secret 'hf-token' is not set on this node (did you mean 'hf_token'?);"));
            Assert.That(warnings, Has.Some.StartsWith("warning: containerRegistry: 'ghcr' is not a stored registry connection (did you mean 'ghrc'?);"));
            Assert.That(warnings, Has.Some.StartsWith("warning: integrations[tiny].id: model 'tiny:2' is not in the node's model store (did you mean 'Tiny'?);"));
        });
    }

    [Test]
    public void Of_DamagedSecretAndRegistry_SaysTheyAreDamagedNotMissing()
    {
        var stores = Stores(["hf-token", "s3-key"], [], new StoreEntry("tiny", ["2"], "2", 1, 1)) with
        {
            Secrets = [new SecretInfo("api-pw", When, "its stored file secrets/api-pw is empty (0 bytes)"), new SecretInfo("hf-token", When), new SecretInfo("s3-key", When)],
            Registries = [new RegistryInfo("ghcr", string.Empty, string.Empty, null, When, "registries/ghcr.json is cut short")],
        };

        var warnings = Warnings(stores);

        Assert.That(warnings, Has.Count.EqualTo(2));
        Assert.That(warnings[0], Does.StartWith("warning: basicAuthKey: secret 'api-pw': its stored file secrets/api-pw is empty (0 bytes); set it again: gradient-node secrets set api-pw; this version starts no replica until then"));
        Assert.That(warnings[1], Does.StartWith("warning: containerRegistry: 'ghcr': registries/ghcr.json is cut short; add it again"));
    }

    [Test]
    public void Of_ModelWithoutTheVersionNamed_NamesTheVersionsThereAre()
    {
        var warnings = Warnings(Stores(["api-pw", "hf-token", "s3-key"], ["ghcr"], new StoreEntry("tiny", ["1", "3"], "3", 1, 1)));

        Assert.That(warnings, Is.EqualTo(new[]
        {
            "warning: integrations[tiny].id: model 'tiny:2' is not in the node's model store: 'tiny' has no version 2, only 1, 3 (use one of them, or id: tiny for the newest, 3); "
                + "this version starts no replica until it names one",
        }));
    }

    [Test]
    public void Of_LegacyModelsEntry_WarnedAtItsId()
    {
        const string Legacy = "apiVersion: v0alpha0\nname: old\nimage: nginx:1\nmodels:\n  - id: bert\nresources: {instanceType: C4}\n";
        var spec = SpecParser.Parse("old.yaml", Legacy).Spec!;

        var warnings = DeploymentStoreWarnings.Of(spec, Stores([], [])).ToList();

        Assert.That(warnings, Is.EqualTo(new[] { "warning: models[bert].id: model 'bert' is not in the node's model store; this version starts no replica until: gradient-node models add bert --from DIR" }));
        Assert.That(WarningLocator.Read("old.yaml", Legacy).Locate(warnings[0]), Does.StartWith("old.yaml:5:9: warning: models[bert].id:"));
    }
}
