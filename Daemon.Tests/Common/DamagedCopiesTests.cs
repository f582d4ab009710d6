using GradientNode.Core.Common;
using GradientNode.Core.Secrets;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Common;

/// <summary><see cref="DamagedCopies"/>, through <see cref="StateFileDamage"/> as the node keeps damaged files aside.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class DamagedCopiesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 11, 30, 0, TimeSpan.Zero);
    private string _dir = null!;
    private string _path = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("gn-damaged-copies-").FullName;
        _path = Path.Combine(_dir, "state.json");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Prune_FileDamagedFiveTimes_NewestThreeCopiesKept()
    {
        var time = new FakeTimeProvider(Now);
        var damage = new StateFileDamage(time, new CollectingLogger<DamagedCopiesTests>());
        for (var i = 0; i < 5; i++)
        {
            File.WriteAllText(_path, $"{{ damaged {i}");
            damage.Read(_path, SecretJsonContext.Default.ListString, "-");
            time.Advance(TimeSpan.FromHours(1));
        }

        Assert.That(Names(), Is.EqualTo(new[]
        {
            "state.json.damaged-20261206T133000Z",
            "state.json.damaged-20261206T143000Z",
            "state.json.damaged-20261206T153000Z",
        }));
        Assert.That(File.ReadAllText(Path.Combine(_dir, "state.json.damaged-20261206T153000Z")), Is.EqualTo("{ damaged 4"));
    }

    [Test]
    public void Prune_SeveralInOneSecond_OrderedByTheirNumberNotByName()
    {
        var damage = new StateFileDamage(new FakeTimeProvider(Now), new CollectingLogger<DamagedCopiesTests>());
        for (var i = 0; i < 11; i++)
        {
            File.WriteAllText(_path, "{");
            damage.Read(_path, SecretJsonContext.Default.ListString, "-");
        }

        Assert.That(Names(), Is.EqualTo(new[]
        {
            "state.json.damaged-20261206T113000Z-10",
            "state.json.damaged-20261206T113000Z-11",
            "state.json.damaged-20261206T113000Z-9",
        }));
    }

    [Test]
    public void Prune_WallClockSteppedBack_TheCopyJustKeptStays()
    {
        File.WriteAllText(_path + ".damaged-20261206T120000Z", "a");
        File.WriteAllText(_path + ".damaged-20261206T120001Z", "b");
        File.WriteAllText(_path + ".damaged-20261206T120002Z", "c");
        File.WriteAllText(_path, "{");

        var kept = new StateFileDamage(new FakeTimeProvider(Now), new CollectingLogger<DamagedCopiesTests>()).Report(_path, "-", "-");

        Assert.That(Names(), Is.EqualTo(new[]
        {
            "state.json.damaged-20261206T113000Z",
            "state.json.damaged-20261206T120001Z",
            "state.json.damaged-20261206T120002Z",
        }));
        Assert.That(kept, Is.EqualTo(_path + ".damaged-20261206T113000Z"));
    }

    [Test]
    public void Prune_OtherNamesInTheFolder_NeverDeleted()
    {
        string[] others =
        [
            "other.json.damaged-20200101T000000Z",
            "state.json.damaged-notes.txt",
            "state.json.damaged-20200101T000000Z.bak",
            "state.json.damaged-20200101T000000",
            "xstate.json.damaged-20200101T000000Z",
            "state.json",
        ];
        foreach (var name in others)
        {
            File.WriteAllText(Path.Combine(_dir, name), "kept");
        }

        Directory.CreateDirectory(Path.Combine(_dir, "state.json.damaged-20200101T000001Z"));
        File.WriteAllText(Path.Combine(_dir, "target"), "kept");
        File.CreateSymbolicLink(Path.Combine(_dir, "state.json.damaged-20200101T000002Z"), Path.Combine(_dir, "target"));
        for (var i = 0; i < 3; i++)
        {
            File.WriteAllText(_path + $".damaged-2020010{i + 2}T000000Z", "old");
        }

        DamagedCopies.Prune(_path, _path + ".damaged-20200105T000000Z", StateFileDamage.KeptCopies);

        Assert.That(Names(), Is.EquivalentTo(others.Concat(
        [
            "state.json.damaged-20200101T000001Z",
            "state.json.damaged-20200101T000002Z",
            "target",
            "state.json.damaged-20200103T000000Z",
            "state.json.damaged-20200104T000000Z",
        ])));
    }

    private string[] Names() =>
        [.. Directory.EnumerateFileSystemEntries(_dir).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal)];
}
