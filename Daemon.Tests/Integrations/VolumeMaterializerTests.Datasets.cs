using GradientNode.Core.Datasets;
using GradientNode.Core.Integrations;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Integrations;

/// <summary>Legacy repositories committed as dataset versions, and the cache collection of the disk gc pass (issue 16 §1).</summary>
internal sealed partial class VolumeMaterializerTests
{
    private const string RepositoriesSpec = IntegrationTestSpecs.LegacyHead + """
        repositories:
          dataset: code
          repositories:
            - name: one
              url: https://example.invalid/one.git
        """;

    [Test]
    public async Task Prepare_LegacyRepositories_CommittedAsOneDatasetVersionNamedByTheKey()
    {
        var spec = IntegrationTestSpecs.Parse(RepositoriesSpec);
        var stores = new VolumeStores(_state);

        var bind = (await UntilSettledAsync(() => _materializer.Prepare(spec, Secrets))).Binds.Single();
        var again = _materializer.Prepare(IntegrationTestSpecs.Parse(RepositoriesSpec, "/specs/other.yaml"), Secrets);

        var version = stores.Datasets.Versions("code").Single();
        Assert.That(bind.Source, Is.EqualTo(stores.Datasets.ContentPathOf("code", version.Version)));
        Assert.That(version.Message, Does.StartWith("cloned for deployment app"));
        Assert.That(version.Source, Is.Not.Null);
        Assert.That(again.Binds.Single().Source, Is.EqualTo(bind.Source), "the same block mounts the same version");
        Assert.That(_fetcher.Calls, Is.EqualTo(1));
        Assert.That(Directory.Exists(stores.Datasets.StagingDir) ? Directory.GetDirectories(stores.Datasets.StagingDir) : [], Is.Empty);
    }

    [Test]
    public async Task Prepare_LegacyRepositoriesFetchFails_NoVersionAndNoStagingLeft()
    {
        _fetcher.Fail = true;
        var stores = new VolumeStores(_state);

        var result = await UntilSettledAsync(() => _materializer.Prepare(IntegrationTestSpecs.Parse(RepositoriesSpec), Secrets));

        Assert.That(result.Error, Is.Not.Null);
        Assert.That(stores.Datasets.Versions("code"), Is.Empty);
        Assert.That(Directory.GetDirectories(stores.Datasets.StagingDir), Is.Empty);
    }

    [Test]
    public async Task Release_LegacyRepositoriesCloneFailed_TheEmptyDatasetItCreatedGoesWithTheLastDeploymentNamingIt()
    {
        // Before, the dataset the failed clone created stayed (datasets ls, and its folder) after the delete, and gc kept it.
        _fetcher.Fail = true;
        var stores = new VolumeStores(_state);
        var app = IntegrationTestSpecs.Parse(RepositoriesSpec);
        var other = IntegrationTestSpecs.Parse(RepositoriesSpec, "/specs/other.yaml");
        await UntilSettledAsync(() => _materializer.Prepare(app, Secrets));
        await UntilSettledAsync(() => _materializer.Prepare(other, Secrets));
        var created = stores.Datasets.List().Select(d => d.Name).ToList();

        _materializer.Release(app.Slug);
        var whileOtherNamesIt = stores.Datasets.List().Select(d => d.Name).ToList();
        _materializer.Release(other.Slug);

        Assert.Multiple(() =>
        {
            Assert.That(created, Is.EqualTo(new[] { "code" }));
            Assert.That(whileOtherNamesIt, Is.EqualTo(new[] { "code" }), "another deployment's block still clones into it");
            Assert.That(stores.Datasets.List(), Is.Empty);
            Assert.That(Directory.Exists(Path.Combine(stores.Datasets.Root, "code")), Is.False);
            Assert.That(Directory.GetDirectories(stores.Datasets.StagingDir), Is.Empty);
        });
    }

    [Test]
    public async Task CollectRepositoryDatasets_FailedCloneOfADeploymentDeletedWhileTheDaemonWasDown_FoundByTheDryRunAndRemovedByThePass()
    {
        _fetcher.Fail = true;
        var stores = new VolumeStores(_state);
        stores.Datasets.Create("mine", "the user's own, empty");
        await UntilSettledAsync(() => _materializer.Prepare(IntegrationTestSpecs.Parse(RepositoriesSpec), Secrets));
        using var restarted = new VolumeMaterializer(new VolumeStores(_state), [_fetcher], new MaterializerOptions(), _time, NullLogger<VolumeMaterializer>.Instance);

        var dry = restarted.CollectRepositoryDatasets(dryRun: true);
        var afterDryRun = stores.Datasets.List().Select(d => d.Name).Order(StringComparer.Ordinal).ToList();
        var pass = restarted.CollectRepositoryDatasets(dryRun: false);

        Assert.Multiple(() =>
        {
            Assert.That(dry, Is.EqualTo(new[] { "code" }));
            Assert.That(afterDryRun, Is.EqualTo(new[] { "code", "mine" }));
            Assert.That(pass, Is.EqualTo(new[] { "code" }));
            Assert.That(stores.Datasets.List().Select(d => d.Name), Is.EqualTo(new[] { "mine" }), "a dataset the clone did not create stays");
        });
    }

    [Test]
    public async Task Release_LegacyRepositoriesIntoADatasetThatExistedBefore_TheDatasetStays()
    {
        _fetcher.Fail = true;
        var stores = new VolumeStores(_state);
        stores.Datasets.Create("code", "made by hand");
        var spec = IntegrationTestSpecs.Parse(RepositoriesSpec);
        await UntilSettledAsync(() => _materializer.Prepare(spec, Secrets));

        _materializer.Release(spec.Slug);

        Assert.That(stores.Datasets.Get("code").Description, Is.EqualTo("made by hand"));
    }

    [Test]
    public async Task CollectCache_PlannedMountedAndStaleFolders_OnlyTheStaleOneRemoved()
    {
        var spec = IntegrationTestSpecs.V1(IntegrationTestSpecs.S3());
        var planned = (await UntilSettledAsync(() => _materializer.Prepare(spec, Secrets))).Binds.Single().Source;
        var cache = Path.GetDirectoryName(planned)!;
        var mounted = Path.Combine(cache, "mounted-by-a-stopped-replica");
        var stale = Path.Combine(cache, "old-version-key");
        var partial = Path.Combine(cache, VersionedStore.TempPrefix + "in-flight");
        foreach (var folder in new[] { mounted, stale, partial })
        {
            Directory.CreateDirectory(folder);
        }

        var removed = _materializer.CollectCache(new HashSet<string> { mounted + "/sub" });

        Assert.That(removed, Is.EqualTo(new[] { stale }));
        Assert.That(Directory.Exists(planned) && Directory.Exists(mounted) && Directory.Exists(partial), Is.True);
    }
}
