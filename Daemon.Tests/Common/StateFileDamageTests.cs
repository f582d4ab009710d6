using GradientNode.Core.Common;
using GradientNode.Core.Secrets;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Common;

[TestFixture]
[Category("Unit")]
internal sealed class StateFileDamageTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 11, 30, 0, TimeSpan.Zero);
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("gn-state-damage-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Read_TruncatedFile_KeptAsideNamedInOneWarningAndNothingSaved()
    {
        var path = Path.Combine(_dir, "state.json");
        File.WriteAllText(path, "[\"a\", \"b");
        var logger = new CollectingLogger<StateFileDamageTests>();

        var value = new StateFileDamage(new FakeTimeProvider(Now), logger).Read(path, SecretJsonContext.Default.ListString, "the node does without it");

        var keptAs = path + ".damaged-20261206T113000Z";
        Assert.Multiple(() =>
        {
            Assert.That(value, Is.Null);
            Assert.That(File.Exists(path), Is.False, "moved, so the next save does not overwrite it silently");
            Assert.That(File.ReadAllText(keptAs), Is.EqualTo("[\"a\", \"b"));
            Assert.That(logger.Events.Select(e => (e.Id.Id, e.Message)), Is.EqualTo(new[]
            {
                (1402, $"state file {path} was damaged (it ends early (cut short: a write that did not finish, or a full disk)); kept aside as {keptAs}; the node does without it"),
            }));
        });
    }

    [Test]
    public void Read_DamagedTwiceInOneSecond_SecondCopyGetsANumber()
    {
        var path = Path.Combine(_dir, "state.json");
        var damage = new StateFileDamage(new FakeTimeProvider(Now), new CollectingLogger<StateFileDamageTests>());
        File.WriteAllText(path, string.Empty);
        damage.Read(path, SecretJsonContext.Default.ListString, "-");
        File.WriteAllText(path, "{");

        damage.Read(path, SecretJsonContext.Default.ListString, "-");

        Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "state.json.damaged-20261206T113000Z", "state.json.damaged-20261206T113000Z-2" }));
    }

    [Test]
    public void Read_MissingOrGood_NothingLoggedNothingMoved()
    {
        var path = Path.Combine(_dir, "state.json");
        var logger = new CollectingLogger<StateFileDamageTests>();
        var damage = new StateFileDamage(new FakeTimeProvider(Now), logger);
        var missing = damage.Read(path, SecretJsonContext.Default.ListString, "-");
        JsonStateFile.Write(path, ["a"], SecretJsonContext.Default.ListString);

        var good = damage.Read(path, SecretJsonContext.Default.ListString, "-");

        Assert.Multiple(() =>
        {
            Assert.That(missing, Is.Null);
            Assert.That(good, Is.EqualTo(new[] { "a" }));
            Assert.That(logger.Events, Is.Empty);
            Assert.That(Directory.GetFiles(_dir), Is.EqualTo(new[] { path }));
        });
    }
}
