using GradientNode.Core.Common;
using GradientNode.Core.Secrets;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Secrets;

[TestFixture]
[Category("Unit")]
internal sealed class RetiredSecretValuesTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("gn-retired-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Constructor_TruncatedFile_KeptAsideNamedWithoutItsValues()
    {
        var retired = Path.Combine(_directory, "retired");
        Directory.CreateDirectory(retired);
        File.WriteAllText(Path.Combine(retired, "app.json"), "[\"old-secret-va");
        var logger = new CollectingLogger<RetiredSecretValues>();

        var values = new RetiredSecretValues(_directory, new StateFileDamage(new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)), logger));

        Assert.Multiple(() =>
        {
            Assert.That(values.All(), Is.Empty);
            Assert.That(File.Exists(Path.Combine(retired, "app.json.damaged-20260101T000000Z")), Is.True);
            Assert.That(logger.Events.Select(e => e.Id.Id), Is.EqualTo(new[] { 1402 }));
            Assert.That(logger.Events[0].Message, Does.Contain("are no longer masked").And.Not.Contain("old-secret"));
        });
    }

    [Test]
    public void Add_MoreThanTheMostKept_KeepsTheNewestAndReadsThemBackAfterARestart()
    {
        var retired = new RetiredSecretValues(_directory);

        retired.Add("app", Enumerable.Range(0, RetiredSecretValues.MaxPerDeployment + 5).Select(i => $"value-{i}"));
        var again = new RetiredSecretValues(_directory);

        Assert.Multiple(() =>
        {
            Assert.That(again.Of("app"), Has.Count.EqualTo(RetiredSecretValues.MaxPerDeployment));
            Assert.That(again.Of("app"), Does.Not.Contain("value-4").And.Contain("value-5").And.Contain($"value-{RetiredSecretValues.MaxPerDeployment + 4}"));
        });
    }

    [Test]
    public void Add_SameValueTwice_KeptOnce()
    {
        var retired = new RetiredSecretValues(_directory);

        retired.Add("app", ["a-value", "a-value"]);
        retired.Add("app", ["a-value"]);

        Assert.That(retired.Of("app"), Is.EqualTo(new[] { "a-value" }));
    }

    [Test]
    public void Drop_Slug_GoneFromMemoryAndDiskOthersKept()
    {
        var retired = new RetiredSecretValues(_directory);
        retired.Add("app", ["a-value"]);
        retired.Add("web", ["w-value"]);

        retired.Drop("app");

        Assert.Multiple(() =>
        {
            Assert.That(new RetiredSecretValues(_directory).All(), Is.EqualTo(new[] { "w-value" }));
            Assert.That(retired.Of("app"), Is.Empty);
        });
    }
}
