using GradientNode.Core.Registries;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Registries;

[TestFixture]
[Category("Unit")]
internal sealed class RegistryStoreTests
{
    private const string Password = "s3cr3t-pw-value";
    private string _state = null!;

    [SetUp]
    public void SetUp() => _state = Directory.CreateTempSubdirectory("gn-registries-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_state, recursive: true);

    [TestCase("", "it is empty (0 bytes)")]
    [TestCase("{\"name\":\"broken\",\"url\":\"r.example\",\"username\":\"ci\",\"password\":\"s3cr3t-pw", "it ends early (cut short")]
    [TestCase("s3cr3t-pw-value", "it is not valid JSON at line 1, byte 1")]
    [TestCase("[\"s3cr3t-pw-value\"]", "it is JSON, but not of the expected shape (at $)")]
    [TestCase("{\"name\":\"broken\",\"url\":\"r.example\"}", "it is JSON, but username, password are missing")]
    public void List_DamagedFile_ListedAsDamagedWithTheReasonAndNoPassword(string content, string problem)
    {
        var store = new RegistryStore(_state);
        store.Set(new RegistryConnection("good", "r.example", "ci", Password, null, DateTimeOffset.UnixEpoch));
        File.WriteAllText(Path.Combine(store.Directory, "broken.json"), content);

        var listed = store.List();

        // Before: left out of the list as if it did not exist.
        Assert.Multiple(() =>
        {
            Assert.That(listed.Select(r => r.Name), Is.EqualTo(new[] { "broken", "good" }));
            Assert.That(listed[0].Damaged, Does.StartWith($"its stored file registries/broken.json is damaged ({problem}"));
            Assert.That(listed[0].Damaged, Does.Not.Contain("s3cr3t"));
            Assert.That(listed[1].Damaged, Is.Null);
            Assert.That(store.Get("broken"), Is.Null);
            Assert.That(store.DamageOf("broken"), Is.EqualTo(listed[0].Damaged));
            Assert.That(store.DamageOf("good"), Is.Null);
            Assert.That(store.DamageOf("absent"), Is.Null);
        });
    }

    [Test]
    public void Remove_DamagedFile_Removed()
    {
        var store = new RegistryStore(_state);
        File.WriteAllText(Path.Combine(store.Directory, "broken.json"), string.Empty);

        Assert.Multiple(() =>
        {
            Assert.That(store.Remove("broken"), Is.True);
            Assert.That(store.List(), Is.Empty);
            Assert.That(store.DamageOf("broken"), Is.Null);
        });
    }

    [Test]
    public void DamageOf_ReadManyTimes_LoggedOnceWithItsEventId()
    {
        var logger = new CollectingLogger<RegistryStore>();
        var store = new RegistryStore(_state, logger);
        File.WriteAllText(Path.Combine(store.Directory, "broken.json"), "{\"password\":\"s3cr3t");

        for (var i = 0; i < 3; i++)
        {
            _ = store.List();
            _ = store.DamageOf("broken");
        }

        Assert.Multiple(() =>
        {
            Assert.That(logger.Events.Select(e => e.Id.Id), Is.EqualTo(new[] { 1401 }));
            Assert.That(logger.Events[0].Message, Does.StartWith($"registry connection broken: its stored file {Path.Combine(store.Directory, "broken.json")} is damaged (it ends early").And.Not.Contain("s3cr3t"));
        });
    }
}
