using GradientNode.Core.Integrations;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Integrations;

/// <summary>
/// A damaged <c>volumes/owners/SLUG.json</c>: kept aside with warning 1402, and deleting the deployment still removes its
/// named volumes (found by their folder). Before, it read as "no folders" and they stayed behind for ever.
/// </summary>
internal sealed partial class VolumeMaterializerTests
{
    [Test]
    public async Task Release_OwnersFileDamagedAfterPrepare_NamedVolumeRemovedFileKeptAsideAndNamedInAWarning()
    {
        var logger = new CollectingLogger<VolumeMaterializer>();
        using var materializer = new VolumeMaterializer(new VolumeStores(_state), [_fetcher], new MaterializerOptions(), _time, logger);
        var spec = IntegrationTestSpecs.V1("  - type: volume\n    name: scratch");
        var named = (await UntilSettledAsync(() => materializer.Prepare(spec, Secrets))).Binds.Single().Source;
        var owners = Path.Combine(_state, "volumes", "owners", "app.json");
        File.WriteAllText(owners, "[\"" + named[..10]); // cut short

        materializer.Release("app");

        var kept = Directory.GetFiles(Path.GetDirectoryName(owners)!, "app.json.damaged-*");
        Assert.Multiple(() =>
        {
            Assert.That(Directory.Exists(named), Is.False, "the named volume stayed behind");
            Assert.That(Directory.Exists(Path.GetDirectoryName(named)), Is.False, "volumes/named/app stayed behind");
            Assert.That(kept, Has.Length.EqualTo(1), "the damaged file is kept aside");
            Assert.That(File.Exists(owners), Is.False);
            var warning = logger.Events.Single(e => e.Id.Id == 1402).Message;
            Assert.That(warning, Does.StartWith($"state file {owners} was damaged (it ends early"));
            Assert.That(warning, Does.Contain("deleting deployment 'app' still removes its named volumes"));
            Assert.That(logger.Events.Select(e => e.Message), Has.Some.Contains(named), "the removal is logged");
        });
    }

    [Test]
    public async Task Release_OwnersFileDamagedBeforeARestart_NewVersionRecordedAgainAndOldNamedVolumeRemovedToo()
    {
        var old = IntegrationTestSpecs.V1("  - type: volume\n    name: old");
        var oldNamed = (await UntilSettledAsync(() => _materializer.Prepare(old, Secrets))).Binds.Single().Source;
        var owners = Path.Combine(_state, "volumes", "owners", "app.json");
        File.WriteAllText(owners, "not json");
        var logger = new CollectingLogger<VolumeMaterializer>();
        using var restarted = new VolumeMaterializer(new VolumeStores(_state), [_fetcher], new MaterializerOptions(), _time, logger);
        var current = IntegrationTestSpecs.V1("  - type: volume\n    name: scratch");

        var newNamed = (await UntilSettledAsync(() => restarted.Prepare(current, Secrets))).Binds.Single().Source;
        Assert.That(logger.Events.Count(e => e.Id.Id == 1402), Is.EqualTo(1), "named once, when first read");
        Assert.That(File.Exists(owners), Is.True, "written again with the current version's folders");
        restarted.Release("app");

        Assert.Multiple(() =>
        {
            Assert.That(Directory.Exists(newNamed), Is.False);
            Assert.That(Directory.Exists(oldNamed), Is.False, "the old version's named volume, which no owners file names any more");
        });
    }

    [Test]
    public async Task Release_OtherDeploymentsOwnersFileDamaged_CacheFolderItsCurrentVersionPlansStays()
    {
        var a = IntegrationTestSpecs.V1(IntegrationTestSpecs.S3());
        var b = a with { Name = "other", Slug = "other" };
        var cached = (await UntilSettledAsync(() => _materializer.Prepare(a, Secrets))).Binds.Single().Source;
        await UntilSettledAsync(() => _materializer.Prepare(b, Secrets));
        File.WriteAllText(Path.Combine(_state, "volumes", "owners", "other.json"), string.Empty);

        _materializer.Release("app");

        Assert.That(Directory.Exists(cached), Is.True, "deployment 'other' still mounts it");
    }
}
