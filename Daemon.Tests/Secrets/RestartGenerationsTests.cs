using GradientNode.Core.Common;
using GradientNode.Core.Secrets;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Secrets;

[TestFixture]
[Category("Unit")]
internal sealed class RestartGenerationsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 14, 0, 0, TimeSpan.Zero);
    private string _state = null!;

    [SetUp]
    public void SetUp() => _state = Directory.CreateTempSubdirectory("gn-restarts-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_state, recursive: true);

    [Test]
    public void Get_FileHoldsNoNumber_KeptAsideNamedInAWarningAndCountsFromZero()
    {
        var logger = new CollectingLogger<RestartGenerations>();
        var generations = new RestartGenerations(_state, new StateFileDamage(new FakeTimeProvider(Now), logger));
        var path = Path.Combine(_state, "restarts", "web");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "3x");

        var count = generations.Get("web");

        Assert.Multiple(() =>
        {
            Assert.That(count, Is.Zero);
            Assert.That(File.Exists(path), Is.False);
            Assert.That(File.ReadAllText(path + ".damaged-20261206T140000Z"), Is.EqualTo("3x"), "kept aside, not overwritten by the next restart");
            Assert.That(logger.Events.Select(e => (e.Id.Id, e.Message)), Is.EqualTo(new[]
            {
                (1402, $"state file {path} was damaged (it holds no restart count (2 characters that are not a number)); kept aside as {path}.damaged-20261206T140000Z; deployment 'web' counts its restarts from 0 again: its version changes once, so its replicas are replaced once"),
            }));
            Assert.That(generations.Get("web"), Is.Zero, "named once: the file is gone");
            Assert.That(logger.Events, Has.Count.EqualTo(1));
        });
        Assert.That(generations.Bump("web"), Is.EqualTo(1));
        Assert.That(generations.Get("web"), Is.EqualTo(1));
    }

    [Test]
    public void Get_NumberWithALineBreak_ReadAsThatNumber()
    {
        var generations = new RestartGenerations(_state);
        Directory.CreateDirectory(Path.Combine(_state, "restarts"));
        File.WriteAllText(Path.Combine(_state, "restarts", "web"), "4\n"); // echo 4 > restarts/web

        Assert.That(generations.Get("web"), Is.EqualTo(4));
    }
}
