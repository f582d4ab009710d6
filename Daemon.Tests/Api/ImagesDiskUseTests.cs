using GradientNode.Core.Engine;
using GradientNode.Daemon.Api;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

[TestFixture]
[Category("Unit")]
internal sealed class ImagesDiskUseTests
{
    private FakeTimeProvider _clock = null!;
    private RecordingEngine _engine = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new FakeTimeProvider();
        _engine = new RecordingEngine { ImagesDiskUsage = _ => Task.FromResult(1234L) };
    }

    [Test]
    public async Task GetAsync_AskedTwiceWithinAMinute_AsksTheEngineOnce()
    {
        var images = new ImagesDiskUse(_engine, _clock);

        var first = await images.GetAsync(CancellationToken.None);
        _clock.Advance(ImagesDiskUse.MaxAge - TimeSpan.FromSeconds(1));
        var second = await images.GetAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(((long?)1234, (string?)null)));
            Assert.That(second, Is.EqualTo(((long?)1234, (string?)null)));
            Assert.That(_engine.ImagesDiskUsageCalls, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task GetAsync_AMinuteLater_AsksAgain()
    {
        var images = new ImagesDiskUse(_engine, _clock);
        await images.GetAsync(CancellationToken.None);
        _engine.ImagesDiskUsage = _ => Task.FromResult(99L);

        _clock.Advance(ImagesDiskUse.MaxAge);
        var later = await images.GetAsync(CancellationToken.None);

        Assert.That(later.Bytes, Is.EqualTo(99));
        Assert.That(_engine.ImagesDiskUsageCalls, Is.EqualTo(2));
    }

    [Test]
    public async Task GetAsync_EngineSlowerThanTheWait_LeavesBytesOutWithWarningThenShowsTheLateAnswer()
    {
        var answer = new TaskCompletionSource<long>();
        _engine.ImagesDiskUsage = _ => answer.Task;
        var images = new ImagesDiskUse(_engine, _clock);

        var pending = images.GetAsync(CancellationToken.None);
        _clock.Advance(ImagesDiskUse.Wait);
        var first = await pending.WaitAsync(TestTimeouts.Short);
        answer.SetResult(4321);
        var second = await images.GetAsync(CancellationToken.None).WaitAsync(TestTimeouts.Short);

        Assert.Multiple(() =>
        {
            Assert.That(first.Bytes, Is.Null);
            Assert.That(first.Warning, Is.EqualTo("disk used by images: the engine did not answer within 2 s (still asking; shown when it answers)"));
            Assert.That(second, Is.EqualTo(((long?)4321, (string?)null)));
            Assert.That(_engine.ImagesDiskUsageCalls, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task GetAsync_EngineFails_LeavesBytesOutWithTheReasonAndAsksAgainNextTime()
    {
        _engine.ImagesDiskUsage = _ => Task.FromException<long>(new EngineException("GET /images/json: engine said no", 500));
        var images = new ImagesDiskUse(_engine, _clock);

        var first = await images.GetAsync(CancellationToken.None);
        _engine.ImagesDiskUsage = _ => Task.FromResult(7L);
        var second = await images.GetAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(((long?)null, (string?)"disk used by images: GET /images/json: engine said no")));
            Assert.That(second.Bytes, Is.EqualTo(7));
        });
    }
}
