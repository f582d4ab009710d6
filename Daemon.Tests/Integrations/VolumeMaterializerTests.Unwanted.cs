using GradientNode.Core.Integrations;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Integrations;

/// <summary>A fetch no deployment waits for any more (deleted, or its spec edited to other content) is cancelled.</summary>
internal sealed partial class VolumeMaterializerTests
{
    [Test]
    public async Task Release_WhileItsOnlyFetchRuns_CancelsTheFetchAndLeavesNothingInTheCache()
    {
        var stalling = new StallingFetcher();
        using var materializer = new VolumeMaterializer(new VolumeStores(_state), [stalling], new MaterializerOptions(), _time, NullLogger<VolumeMaterializer>.Instance);
        var spec = IntegrationTestSpecs.V1(IntegrationTestSpecs.S3());
        materializer.Prepare(spec, Secrets);
        var token = await stalling.NextCallAsync();

        materializer.Release("app");

        Assert.That(token.IsCancellationRequested, Is.True, "the deleted deployment's download stopped");
        await TestTimeouts.WaitUntilAsync(() => !Directory.EnumerateFileSystemEntries(new VolumeStores(_state).CacheDir).Any(), "the cache folder emptied");
        Assert.That(Directory.EnumerateFileSystemEntries(new VolumeStores(_state).CacheDir), Is.Empty, "no partial or unowned content left");

        // Not a failure: the same content asked for again is fetched at once, without a backoff.
        await TestTimeouts.WaitUntilAsync(
            () => materializer.Prepare(spec, Secrets) is { Pending: true, Error: null } && stalling.Calls == 2,
            "a new fetch started at once");
    }

    [Test]
    public async Task Prepare_SpecEditedToOtherContentWhileFetching_CancelsTheOldFetch()
    {
        var stalling = new StallingFetcher();
        using var materializer = new VolumeMaterializer(new VolumeStores(_state), [stalling], new MaterializerOptions(), _time, NullLogger<VolumeMaterializer>.Instance);
        materializer.Prepare(IntegrationTestSpecs.V1(IntegrationTestSpecs.S3(key: "OLDKEY")), Secrets);
        var old = await stalling.NextCallAsync();

        Assert.That(materializer.Prepare(IntegrationTestSpecs.V1(IntegrationTestSpecs.S3(key: "NEWKEY")), Secrets).Pending, Is.True);
        var current = await stalling.NextCallAsync();

        Assert.That(old.IsCancellationRequested, Is.True, "the superseded block's download stopped");
        Assert.That(current.IsCancellationRequested, Is.False);
        Assert.That(materializer.StatusOf("app").Single(), Has.Property("State").EqualTo("fetching"));
    }

    [Test]
    public async Task Release_AnotherDeploymentWaitsForTheSameContent_FetchGoesOn()
    {
        var stalling = new StallingFetcher();
        using var materializer = new VolumeMaterializer(new VolumeStores(_state), [stalling], new MaterializerOptions(), _time, NullLogger<VolumeMaterializer>.Instance);
        materializer.Prepare(IntegrationTestSpecs.V1(IntegrationTestSpecs.S3()), Secrets);
        var token = await stalling.NextCallAsync();
        var other = IntegrationTestSpecs.Parse(
            $"""
            apiVersion: v1
            name: other
            image: web:1
            resources:
              machineType: C4
              ports: [8080]
            integrations:
            {IntegrationTestSpecs.S3()}
            """,
            "/specs/other.yaml");
        Assert.That(materializer.Prepare(other, Secrets).Pending, Is.True);

        materializer.Release("app");

        Assert.That(token.IsCancellationRequested, Is.False, "'other' still waits for it");
        Assert.That(stalling.Calls, Is.EqualTo(1));
    }
}
