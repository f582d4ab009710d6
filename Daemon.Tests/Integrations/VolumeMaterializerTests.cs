using GradientNode.Core.Integrations;
using GradientNode.Core.Secrets;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Integrations;

[TestFixture]
[Category("Unit")]
internal sealed class VolumeMaterializerTests
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
    public void TearDown()
    {
        _materializer.Dispose();
        Directory.Delete(_state, recursive: true);
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
    public async Task Release_DeletedDeployment_RemovesItsCachedAndNamedVolumes()
    {
        var spec = IntegrationTestSpecs.V1(IntegrationTestSpecs.S3() + "\n  - type: volume\n    name: scratch");
        var result = await UntilSettledAsync(() => _materializer.Prepare(spec, Secrets));
        Assert.That(result.Binds.All(b => Directory.Exists(b.Source)), Is.True);

        _materializer.Release("app");

        Assert.That(result.Binds.Any(b => Directory.Exists(b.Source)), Is.False);
    }

    [Test]
    public void RetryAfter_ManyFailures_DoublesUpToTheCap()
    {
        var options = new MaterializerOptions();

        Assert.That(options.RetryAfter(1), Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(options.RetryAfter(3), Is.EqualTo(TimeSpan.FromSeconds(40)));
        Assert.That(options.RetryAfter(30), Is.EqualTo(TimeSpan.FromMinutes(5)));
    }

    private static async Task<MaterializeResult> UntilSettledAsync(Func<MaterializeResult> prepare)
    {
        var result = prepare();
        for (var i = 0; i < 200 && result.Pending; i++)
        {
            await Task.Delay(10);
            result = prepare();
        }

        return result;
    }

    private sealed class FakeFetcher : IIntegrationFetcher
    {
        private int _calls;

        public bool Fail { get; set; }

        public int Calls => _calls;

        public bool Handles(VolumeSource source) => true;

        public Task FetchAsync(VolumeSource source, string target, FetchProgress progress, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
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
}
