// Over 300 lines: one fixture for the materializer's life (prepare, fetch, reuse, release, dispose), sharing its fake fetchers and clock; the unwanted-fetch cases are in VolumeMaterializerTests.Unwanted.cs.
using GradientNode.Core.Integrations;
using GradientNode.Core.Secrets;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Integrations;

[TestFixture]
[Category("Unit")]
internal sealed partial class VolumeMaterializerTests
{
    private static readonly SecretResolution Secrets = new(new Dictionary<string, string> { ["s3key"] = "the-secret" }, []);
    private string _state = null!;
    private FakeTimeProvider _time = null!;
    private FakeFetcher _fetcher = null!;
    private VolumeMaterializer _materializer = null!;

    [SetUp]
    public void SetUp()
    {
        _state = Directory.CreateTempSubdirectory("gn-mat-").FullName;
        _time = new FakeTimeProvider();
        _fetcher = new FakeFetcher();
        _materializer = new VolumeMaterializer(new VolumeStores(_state), [_fetcher], new MaterializerOptions(), _time, NullLogger<VolumeMaterializer>.Instance);
    }

    [TearDown]
    public async Task TearDown()
    {
        _materializer.Dispose();
        await TestTimeouts.WaitUntilAsync(TryDeleteState, "the state folder deleted");
    }

    /// <summary>
    /// A fetch cancelled by the test (or by <c>Dispose</c>) removes its <c>.partial-*</c> folder on its own task, which
    /// may still run here: a recursive delete that finds a folder gone mid-walk is tried again.
    /// </summary>
    private bool TryDeleteState()
    {
        try
        {
            Directory.Delete(_state, recursive: true);
            return true;
        }
        catch (DirectoryNotFoundException) when (!Directory.Exists(_state))
        {
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    [Test]
    public async Task Prepare_FirstTime_PendingThenReadOnlyBindToCompleteContent()
    {
        var spec = IntegrationTestSpecs.V1(IntegrationTestSpecs.S3());

        Assert.That(_materializer.Prepare(spec, Secrets).Pending, Is.True);
        var result = await UntilSettledAsync(() => _materializer.Prepare(spec, Secrets));

        var bind = result.Binds.Single();
        Assert.That(bind.Target, Is.EqualTo("/opt/data/data"));
        Assert.That(bind.ReadOnly, Is.True);
        Assert.That(File.ReadAllText(Path.Combine(bind.Source, "file.txt")), Is.EqualTo("content"));
        Assert.That(Directory.EnumerateDirectories(Path.GetDirectoryName(bind.Source)!), Has.Exactly(1).Items, "no partial folder left");
    }

    [Test]
    public async Task Prepare_ScaleUpAndNewVersionWithSameBlock_FetchedOnce()
    {
        await UntilSettledAsync(() => _materializer.Prepare(IntegrationTestSpecs.V1(IntegrationTestSpecs.S3(), replicas: 1), Secrets));

        var again = _materializer.Prepare(IntegrationTestSpecs.V1(IntegrationTestSpecs.S3(), replicas: 4), Secrets);

        Assert.That(again.Binds, Has.Count.EqualTo(1));
        Assert.That(_fetcher.Calls, Is.EqualTo(1));
        Assert.That(_materializer.StatusOf("app").Single(), Has.Property("State").EqualTo("ready").And.Property("Fetches").EqualTo(1));
    }

    [Test]
    public async Task Prepare_FetchFails_ErrorNamesTheIntegrationAndRetriesOnlyAfterBackoff()
    {
        _fetcher.Fail = true;
        var spec = IntegrationTestSpecs.V1(IntegrationTestSpecs.S3());

        var failed = await UntilSettledAsync(() => _materializer.Prepare(spec, Secrets));
        Assert.That(failed.Error, Does.Contain("integrations[data]").And.Contain("access denied").And.Contain("retrying in 10s"));
        Assert.That(_materializer.Prepare(spec, Secrets).Error, Is.Not.Null);
        Assert.That(_fetcher.Calls, Is.EqualTo(1));

        _fetcher.Fail = false;
        _time.Advance(TimeSpan.FromSeconds(11));
        var healed = await UntilSettledAsync(() => _materializer.Prepare(spec, Secrets));

        Assert.That(healed.Binds, Has.Count.EqualTo(1));
        Assert.That(_fetcher.Calls, Is.EqualTo(2));
    }

    [Test]
    public async Task Prepare_FetchWithoutProgress_StoppedAfterStallTimeoutFailsNamingTheIntegrationAndRetries()
    {
        var stalling = new StallingFetcher();
        using var materializer = new VolumeMaterializer(
            new VolumeStores(_state), [stalling], new MaterializerOptions { StallTimeout = TimeSpan.FromSeconds(30) }, _time, NullLogger<VolumeMaterializer>.Instance);
        var spec = IntegrationTestSpecs.V1(IntegrationTestSpecs.S3());

        Assert.That(materializer.Prepare(spec, Secrets).Pending, Is.True);
        var first = await stalling.NextCallAsync();
        var failed = await AdvanceUntilSettledAsync(() => materializer.Prepare(spec, Secrets));

        Assert.That(failed.Error, Does.Contain("integrations[data]").And.Contain("no progress for 30s").And.Contain("retrying in 10s"));
        Assert.That(failed.Binds, Is.Empty);
        Assert.That(first.IsCancellationRequested, Is.True, "the hung download was cancelled");
        Assert.That(materializer.StatusOf("app").Single(), Has.Property("State").EqualTo("failed"));
        Assert.That(Directory.EnumerateDirectories(new VolumeStores(_state).CacheDir), Is.Empty, "no partial folder left");

        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.That(materializer.Prepare(spec, Secrets).Pending, Is.True, "the next attempt starts once the backoff has passed");
        await stalling.NextCallAsync();
        Assert.That(stalling.Calls, Is.EqualTo(2));
    }

    [Test]
    public async Task Prepare_FetchWithSlowButSteadyProgress_NotStopped()
    {
        var stalling = new StallingFetcher();
        using var materializer = new VolumeMaterializer(
            new VolumeStores(_state), [stalling], new MaterializerOptions { StallTimeout = TimeSpan.FromSeconds(30) }, _time, NullLogger<VolumeMaterializer>.Instance);
        var spec = IntegrationTestSpecs.V1(IntegrationTestSpecs.S3());

        materializer.Prepare(spec, Secrets);
        var token = await stalling.NextCallAsync();
        for (var second = 0; second < 120; second += 20)
        {
            _time.Advance(TimeSpan.FromSeconds(20));
            stalling.Progress!.AddBytes(1);
            await TestTimeouts.LetContinuationsRunAsync();
        }

        Assert.That(token.IsCancellationRequested, Is.False);
        Assert.That(materializer.Prepare(spec, Secrets).Pending, Is.True);
        Assert.That(materializer.StatusOf("app").Single(), Has.Property("State").EqualTo("fetching").And.Property("BytesDone").EqualTo(6));
    }

    [Test]
    public async Task Dispose_WhileAFetchRuns_ReturnsAndCancelsTheFetch()
    {
        var stalling = new StallingFetcher();
        var materializer = new VolumeMaterializer(new VolumeStores(_state), [stalling], new MaterializerOptions(), _time, NullLogger<VolumeMaterializer>.Instance);
        materializer.Prepare(IntegrationTestSpecs.V1(IntegrationTestSpecs.S3()), Secrets);
        var token = await stalling.NextCallAsync();

        var dispose = Task.Run(materializer.Dispose);

        Assert.That(await TestTimeouts.CompletesWithinAsync(dispose, TestTimeouts.Short), Is.True, "Dispose returned (it used to spin on the cancelled watchdog)");
        Assert.That(token.IsCancellationRequested, Is.True);
    }

    [Test]
    public async Task Prepare_DiskFullDuringFetch_FailsSayingTheDiskIsFullNamingTheIntegration()
    {
        _fetcher.Throw = new IOException("No space left on device : '/var/lib/gradient-node/volumes/cache/x/large.bin'", 28);
        var spec = IntegrationTestSpecs.V1(IntegrationTestSpecs.S3());

        var failed = await UntilSettledAsync(() => _materializer.Prepare(spec, Secrets));

        Assert.That(failed.Error, Does.StartWith("integrations[data]: the node's disk is full (No space left on device").And.Contain("retrying in 10s"));
        Assert.That(failed.Binds, Is.Empty);
        Assert.That(Directory.EnumerateDirectories(new VolumeStores(_state).CacheDir), Is.Empty, "the partial download was removed");
    }

    [Test]
    public async Task Prepare_FetcherThrowsUnexpectedException_FailsWithTheMessageAndRetriesAfterBackoff()
    {
        _fetcher.Throw = new InvalidCastException("Unable to cast object of type 'Foo' to type 'Bar'.");
        var spec = IntegrationTestSpecs.V1(IntegrationTestSpecs.S3());

        var failed = await UntilSettledAsync(() => _materializer.Prepare(spec, Secrets));

        Assert.That(failed.Pending, Is.False, "the fetch ended instead of staying 'fetching'");
        Assert.That(failed.Error, Does.StartWith("integrations[data]: Unable to cast object of type 'Foo' to type 'Bar'.").And.Contain("retrying in 10s"));
        Assert.That(_materializer.StatusOf("app").Single(), Has.Property("State").EqualTo("failed"));
        Assert.That(Directory.EnumerateDirectories(new VolumeStores(_state).CacheDir), Is.Empty, "the partial download was removed");

        _fetcher.Throw = null;
        _time.Advance(TimeSpan.FromSeconds(11));
        var healed = await UntilSettledAsync(() => _materializer.Prepare(spec, Secrets));

        Assert.That(healed.Binds, Has.Count.EqualTo(1));
        Assert.That(_fetcher.Calls, Is.EqualTo(2));
    }

    [Test]
    public async Task Release_DeletedDeployment_RemovesItsCachedAndNamedVolumes()
    {
        var spec = IntegrationTestSpecs.V1(IntegrationTestSpecs.S3() + "\n  - type: volume\n    name: scratch");
        var result = await UntilSettledAsync(() => _materializer.Prepare(spec, Secrets));
        Assert.That(result.Binds.All(b => Directory.Exists(b.Source)), Is.True);

        _materializer.Release("app");

        Assert.That(result.Binds.Any(b => Directory.Exists(b.Source)), Is.False);
    }

    [Test]
    public async Task Release_DeletedDeploymentWithANamedVolume_LeavesNoFolderOfItsOwn()
    {
        var spec = IntegrationTestSpecs.V1("  - type: volume\n    name: scratch");
        var result = await UntilSettledAsync(() => _materializer.Prepare(spec, Secrets));
        var slugFolder = Path.GetDirectoryName(result.Binds.Single().Source)!;
        Assert.That(Path.GetFileName(slugFolder), Is.EqualTo("app"));

        _materializer.Release("app");

        Assert.That(Directory.Exists(slugFolder), Is.False, "volumes/named/app stayed behind, empty");
    }

    [Test]
    public void RetryAfter_ManyFailures_DoublesUpToTheCap()
    {
        var options = new MaterializerOptions();

        Assert.That(options.RetryAfter(1), Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(options.RetryAfter(3), Is.EqualTo(TimeSpan.FromSeconds(40)));
        Assert.That(options.RetryAfter(30), Is.EqualTo(TimeSpan.FromMinutes(5)));
    }

    /// <summary>Moves the fake clock a second at a time (the watchdog ticks each second) until the fetch settled.</summary>
    private async Task<MaterializeResult> AdvanceUntilSettledAsync(Func<MaterializeResult> prepare)
    {
        var result = prepare();
        for (var i = 0; i < 500 && result.Pending; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await TestTimeouts.LetContinuationsRunAsync();
            result = prepare();
        }

        return result;
    }

    private static async Task<MaterializeResult> UntilSettledAsync(Func<MaterializeResult> prepare)
    {
        var result = prepare();
        await TestTimeouts.WaitUntilAsync(() => !(result = prepare()).Pending, "the fetch to settle");
        return result;
    }

    private sealed class FakeFetcher : IIntegrationFetcher
    {
        private int _calls;

        public bool Fail { get; set; }

        public Exception? Throw { get; set; }

        public int Calls => _calls;

        public bool Handles(VolumeSource source) => true;

        public Task FetchAsync(VolumeSource source, string target, FetchProgress progress, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            if (Throw is not null)
            {
                File.WriteAllText(Path.Combine(target, "part.bin"), "partial");
                throw Throw;
            }

            if (Fail)
            {
                throw new IntegrationFetchException($"{source}: access denied (403 InvalidAccessKeyId)", permanent: true);
            }

            File.WriteAllText(Path.Combine(target, "file.txt"), "content");
            progress.AddTotal(7, 1);
            progress.AddBytes(7);
            progress.AddFiles(1);
            return Task.CompletedTask;
        }
    }

    /// <summary>A download that connects and then never moves: waits until cancelled.</summary>
    private sealed class StallingFetcher : IIntegrationFetcher
    {
        private readonly System.Threading.Channels.Channel<CancellationToken> _calls = System.Threading.Channels.Channel.CreateUnbounded<CancellationToken>();
        private int _count;

        public int Calls => _count;

        public FetchProgress? Progress { get; private set; }

        public bool Handles(VolumeSource source) => true;

        public async Task FetchAsync(VolumeSource source, string target, FetchProgress progress, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            Progress = progress;
            _calls.Writer.TryWrite(cancellationToken);
            await TestTimeouts.BlockUntilCancelledAsync(cancellationToken);
        }

        /// <summary>The token of the next call, once it was made.</summary>
        public async Task<CancellationToken> NextCallAsync()
        {
            using var timeout = new CancellationTokenSource(TestTimeouts.Short);
            return await _calls.Reader.ReadAsync(timeout.Token);
        }
    }
}
