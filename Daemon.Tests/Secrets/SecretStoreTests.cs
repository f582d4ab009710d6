using GradientNode.Core.Secrets;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Secrets;

[TestFixture]
[Category("Unit")]
internal sealed class SecretStoreTests
{
    private string _state = null!;

    [SetUp]
    public void SetUp() => _state = Directory.CreateTempSubdirectory("gn-secret-store-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_state, recursive: true);

    [Test]
    public void TryGet_DamagedFileReadManyTimes_FalseAndLoggedOnceUntilSetAgain()
    {
        var logger = new CollectingLogger<SecretStore>();
        var store = new SecretStore(_state, logger);
        File.WriteAllBytes(Path.Combine(store.Directory, "pw"), []);

        var found = Enumerable.Range(0, 3).Select(i => store.TryGet("pw", out var ignored)).ToList();
        store.Set("pw", "fixed"u8);

        Assert.Multiple(() =>
        {
            Assert.That(found, Is.All.False);
            Assert.That(store.TryGet("pw", out var value) ? value : null, Is.EqualTo("fixed"));
            Assert.That(store.DamageOf("pw"), Is.Null);
            Assert.That(logger.Events.Select(e => (e.Id.Id, e.Message)), Is.EqualTo(new[]
            {
                (1404, $"secret pw: its stored file {Path.Combine(store.Directory, "pw")} is empty (0 bytes), which secrets set never stores; it is not injected, specs and jobs that name it get an error, until it is set again or removed"),
            }));
        });
    }

    [Test]
    public void DamageOf_FileNotUtf8_SaysNothingOfItsSize()
    {
        var logger = new CollectingLogger<SecretStore>();
        var store = new SecretStore(_state, logger);
        File.WriteAllBytes(Path.Combine(store.Directory, "pw"), [.. "hunter2-hunter2-hunter2-hunter2-37by"u8, 0xff]);

        var damage = store.DamageOf("pw");
        var listed = store.List().Single().Damaged;

        Assert.Multiple(() =>
        {
            Assert.That(damage, Is.EqualTo("its stored file secrets/pw is not UTF-8 text, which secrets set never stores: the file was damaged (a full disk, a hand edit)"));
            Assert.That(listed, Is.EqualTo(damage));
            // The state dir's random name could hold "37" itself (a CI run drew gn-secret-store-u37fl2): checked without it.
            Assert.That(logger.Events.Single().Message.Replace(store.Directory, "secrets", StringComparison.Ordinal), Does.Not.Contain("37").And.Not.Contain("bytes"));
        });
    }
}
