using System.Runtime.Versioning;
using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Secrets;

[TestFixture]
[Category("Unit")]
[SupportedOSPlatform("linux")]
internal sealed class SecretSnapshotsTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private string _state = null!;
    private SecretStore _store = null!;
    private SecretSnapshots _snapshots = null!;

    [SetUp]
    public void SetUp()
    {
        _state = Directory.CreateTempSubdirectory("gn-snapshots-").FullName;
        _store = new SecretStore(_state);
        _snapshots = new SecretSnapshots(_store, _state);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_state, recursive: true);

    private string SnapshotFile(string slug) => Path.Combine(_state, "snapshots", slug + ".json");

    [Test]
    public void Resolve_SameVersionTwice_KeepsTheSnapshotInAn0600File()
    {
        _store.Set("pw", "one"u8);
        var first = _snapshots.Resolve(Spec("app"), "h1");

        var again = new SecretSnapshots(_store, _state).Resolve(Spec("app"), "h1");

        Assert.Multiple(() =>
        {
            Assert.That(first.Values["pw"], Is.EqualTo("one"));
            Assert.That(again.Values["pw"], Is.EqualTo("one"));
            Assert.That(File.GetUnixFileMode(SnapshotFile("app")), Is.EqualTo(OwnerOnly));
            Assert.That(File.GetUnixFileMode(Path.Combine(_state, "snapshots")), Is.EqualTo(OwnerOnly | UnixFileMode.UserExecute));
        });
    }

    [Test]
    public void Resolve_AfterSecretsSet_UsesTheNewValue()
    {
        _store.Set("pw", "old"u8);
        _snapshots.Resolve(Spec("app"), "h1");

        _store.Set("pw", "new"u8);
        var resolution = _snapshots.Resolve(Spec("app"), "h1");

        Assert.Multiple(() =>
        {
            Assert.That(resolution.Values["pw"], Is.EqualTo("new"), "a re-applied deployment gets the new password");
            Assert.That(File.ReadAllText(SnapshotFile("app")), Does.Not.Contain("old"));
            Assert.That(File.GetUnixFileMode(SnapshotFile("app")), Is.EqualTo(OwnerOnly));
        });
    }

    [Test]
    public void Resolve_AfterSecretsRm_SnapshotAndFileAreGoneAndTheSecretIsMissing()
    {
        _store.Set("pw", "old"u8);
        _snapshots.Resolve(Spec("app"), "h1");

        _store.Remove("pw");

        Assert.That(File.Exists(SnapshotFile("app")), Is.False, "no plaintext copy stays on disk");
        var resolution = _snapshots.Resolve(Spec("app"), "h1");
        Assert.Multiple(() =>
        {
            Assert.That(resolution.IsComplete, Is.False);
            Assert.That(resolution.Missing, Has.Some.Contains("secret 'pw'"));
            Assert.That(resolution.Values, Does.Not.ContainKey("pw"));
        });
    }

    [Test]
    public void Invalidate_SnapshotOnDiskOnlyFromAnEarlierRun_DeletesItToo()
    {
        _store.Set("pw", "old"u8);
        _snapshots.Resolve(Spec("app"), "h1");
        var restarted = new SecretSnapshots(_store, _state);

        restarted.Invalidate("pw");

        Assert.That(File.Exists(SnapshotFile("app")), Is.False);
    }

    [Test]
    public void Invalidate_OtherSecret_KeepsTheSnapshot()
    {
        _store.Set("pw", "one"u8);
        _store.Set("other", "x"u8);
        _snapshots.Resolve(Spec("app"), "h1");

        _store.Set("other", "y"u8);

        Assert.That(File.Exists(SnapshotFile("app")), Is.True);
    }

    [Test]
    public void Forget_Slug_RemovesTheFile()
    {
        _store.Set("pw", "one"u8);
        _snapshots.Resolve(Spec("app"), "h1");

        _snapshots.Forget("app");

        Assert.That(File.Exists(SnapshotFile("app")), Is.False);
    }

    [Test]
    public void Resolve_SnapshotCannotBeWritten_ServesFromMemoryWarnsAndWritesOnNextUse()
    {
        _store.Set("pw", "one"u8);
        var directory = Path.Combine(_state, "snapshots");
        Directory.Delete(directory, recursive: true);
        File.WriteAllText(directory, "not a directory");

        var resolution = _snapshots.Resolve(Spec("app"), "h1");

        Assert.Multiple(() =>
        {
            Assert.That(resolution.Values["pw"], Is.EqualTo("one"));
            Assert.That(_snapshots.Warnings, Has.Count.EqualTo(1));
            Assert.That(_snapshots.Warnings[0], Does.Contain("app").And.Not.Contain("one"));
        });

        File.Delete(directory);
        Directory.CreateDirectory(directory);
        _snapshots.Resolve(Spec("app"), "h1");

        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(SnapshotFile("app")), Is.True);
            Assert.That(_snapshots.Warnings, Is.Empty);
        });
    }

    [Test]
    public void MaskFor_SpecsSecret_MasksItsValueWithOrWithoutASnapshot()
    {
        _store.Set("pw", "first-value"u8);
        _snapshots.Resolve(Spec("app"), "h1");
        _store.Set("pw", "second-value"u8);
        _snapshots.Resolve(Spec("app"), "h2");

        var mask = _snapshots.MaskFor(Spec("app"));

        Assert.Multiple(() =>
        {
            Assert.That(mask.Apply("second-value"), Is.EqualTo("***"), "the store's value now");
            Assert.That(_snapshots.MaskFor(Spec("other")).Apply("second-value"), Is.EqualTo("***"), "a slug without a snapshot still masks the store's value");
        });
    }

    [Test]
    public void MaskForAll_StoredSecretsAndAnOlderSnapshotValue_HidesEveryOne()
    {
        _store.Set("pw", "first-value"u8);
        _snapshots.Resolve(Spec("app"), "h1");
        _store.Set("other", "other-value"u8);

        var mask = _snapshots.MaskForAll();

        Assert.Multiple(() =>
        {
            Assert.That(mask.Apply("a first-value b"), Is.EqualTo("a *** b"), "a value the replicas were started with");
            Assert.That(mask.Apply("other-value"), Is.EqualTo("***"), "a secret no spec references");
            Assert.That(mask.Apply("plain text"), Is.EqualTo("plain text"));
        });
    }

    [Test]
    public void MaskFor_SecretSetWhileAReplicaRunsWithTheOldValue_MasksTheOldAndTheNewValue()
    {
        _store.Set("pw", "old-value"u8);
        _snapshots.Resolve(Spec("app"), "h1"); // the running replica was started with old-value

        _store.Set("pw", "new-value"u8);
        var mask = _snapshots.MaskFor(Spec("app"));

        Assert.Multiple(() =>
        {
            Assert.That(mask.Apply("token old-value"), Is.EqualTo("token ***"), "the replica still holds the value it started with");
            Assert.That(mask.Apply("token new-value"), Is.EqualTo("token ***"));
            Assert.That(_snapshots.MaskFor(Spec("other")).Apply("old-value"), Is.EqualTo("old-value"), "only the deployment that held it");
        });
    }

    [Test]
    public void MaskFor_SecretSetThenTheDaemonRestarts_TheOldValueIsStillMasked()
    {
        _store.Set("pw", "old-value"u8);
        _snapshots.Resolve(Spec("app"), "h1");
        _store.Set("pw", "new-value"u8);

        var restarted = new SecretSnapshots(new SecretStore(_state), _state);

        Assert.Multiple(() =>
        {
            Assert.That(restarted.MaskFor(Spec("app")).Apply("old-value"), Is.EqualTo("***"), "replicas outlive a daemon restart");
            Assert.That(File.GetUnixFileMode(Path.Combine(_state, "snapshots", "retired", "app.json")), Is.EqualTo(OwnerOnly));
        });
    }

    [Test]
    public void MaskFor_SnapshotOnDiskOnlyThenSecretRemoved_TheRemovedValueIsStillMasked()
    {
        _store.Set("pw", "old-value"u8);
        new SecretSnapshots(new SecretStore(_state), _state).Resolve(Spec("app"), "h1"); // an earlier run of the daemon
        var store = new SecretStore(_state);
        var now = new SecretSnapshots(store, _state);

        store.Remove("pw");

        Assert.That(now.MaskFor(Spec("app")).Apply("old-value"), Is.EqualTo("***"));
    }

    [Test]
    public void Forget_RestartedOnPurpose_ItsValuesStayMaskedWhileTheOldReplicasDrain()
    {
        _store.Set("pw", "old-value"u8);
        _snapshots.Resolve(Spec("app"), "h1");
        _store.Set("pw", "new-value"u8);
        _snapshots.Resolve(Spec("app"), "h1");

        _snapshots.Forget("app");

        Assert.That(_snapshots.MaskFor(Spec("app")).Apply("old-value new-value"), Is.EqualTo("*** ***"));
    }

    [Test]
    public void Remove_DeploymentGoneWithNoContainerLeft_ItsOldValuesAreNoLongerKept()
    {
        _store.Set("pw", "old-value"u8);
        _snapshots.Resolve(Spec("app"), "h1");
        _store.Set("pw", "new-value"u8);

        _snapshots.Remove("app");

        Assert.Multiple(() =>
        {
            Assert.That(_snapshots.MaskForAll().Apply("old-value"), Is.EqualTo("old-value"));
            Assert.That(File.Exists(Path.Combine(_state, "snapshots", "retired", "app.json")), Is.False);
        });
    }

    [TestCase(new byte[0], "is empty (0 bytes)")]
    [TestCase(new byte[] { 0x61, 0xff, 0x62 }, "is not UTF-8 text")]
    public void Resolve_SecretFileDamaged_MissingSaysItIsDamagedAndNothingIsInjected(byte[] content, string problem)
    {
        File.WriteAllBytes(Path.Combine(_store.Directory, "pw"), content);

        var resolution = _snapshots.Resolve(Spec("app"), "h1");

        // Before: an empty file was injected as an empty password, invalid bytes as U+FFFD.
        Assert.Multiple(() =>
        {
            Assert.That(resolution.Values, Does.Not.ContainKey("pw"));
            Assert.That(resolution.Missing, Is.EqualTo(new[] { $"basicAuthKey refers to secret 'pw': its stored file secrets/pw {problem}, which secrets set never stores: the file was damaged (a full disk, a hand edit); set it again: gradient-node secrets set pw" }));
            Assert.That(_store.List().Single().Damaged, Does.StartWith($"its stored file secrets/pw {problem}"));
        });
    }

    private static DeploymentSpec Spec(string name) => SpecParser.Parse($"/specs/{name}.yaml", $"""
        name: {name}
        image: nginx:1
        basicAuthKey: secret:pw
        resources:
          machineType: C4
          ports: [8080]
        """).Spec!;
}
