using System.Runtime.Versioning;
using GradientNode.Core.Common;
using GradientNode.Core.Secrets;
using NUnit.Framework;

namespace GradientNode.Tests.Common;

[TestFixture]
[Category("Unit")]
[SupportedOSPlatform("linux")]
internal sealed class JsonStateFileTests
{
    private static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo<List<string>> Strings = SecretJsonContext.Default.ListString;
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("gn-json-state-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Write_ThenRead_SameValueInAnOwnerOnlyFileAndNoTempFileLeft()
    {
        var path = Path.Combine(_dir, "state.json");

        JsonStateFile.Write(path, ["a", "b"], Strings);

        Assert.Multiple(() =>
        {
            Assert.That(JsonStateFile.Read(path, Strings), Is.EqualTo(new[] { "a", "b" }));
            Assert.That(File.ReadAllText(path), Is.EqualTo("""["a","b"]"""), "the format is the serializer's, unchanged");
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(Directory.GetFiles(_dir), Is.EqualTo(new[] { path }));
        });
    }

    [Test]
    public void Write_NotDurable_StillReplacesTheFile()
    {
        var path = Path.Combine(_dir, "runtime.json");
        File.WriteAllText(path, "old");

        JsonStateFile.Write(path, ["new"], Strings, durable: false);

        Assert.That(JsonStateFile.Read(path, Strings), Is.EqualTo(new[] { "new" }));
    }

    [Test]
    public void Read_MissingFileOrFolder_Null()
    {
        Assert.Multiple(() =>
        {
            Assert.That(JsonStateFile.Read(Path.Combine(_dir, "none.json"), Strings), Is.Null);
            Assert.That(JsonStateFile.Read(Path.Combine(_dir, "no-folder", "none.json"), Strings), Is.Null);
        });
    }

    [TestCase("{\"truncated")]
    [TestCase("")]
    [TestCase("{\"an\":\"object, not a list\"}")]
    public void Read_CorruptFile_NullAndTheFileIsLeftAsItIs(string content)
    {
        var path = Path.Combine(_dir, "corrupt.json");
        File.WriteAllText(path, content);

        Assert.Multiple(() =>
        {
            Assert.That(JsonStateFile.Read(path, Strings), Is.Null);
            Assert.That(File.ReadAllText(path), Is.EqualTo(content));
        });
    }

    [Test]
    public void Read_AFolderWhereTheFileShouldBe_Null()
    {
        var path = Path.Combine(_dir, "state.json");
        Directory.CreateDirectory(path);

        Assert.That(JsonStateFile.Read(path, Strings), Is.Null);
    }

    [Test]
    public void TryWrite_FolderMissing_ReturnsTheErrorInsteadOfThrowing()
    {
        var path = Path.Combine(_dir, "no-folder", "state.json");

        var error = JsonStateFile.TryWrite(path, ["a"], Strings);

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.InstanceOf<DirectoryNotFoundException>());
            Assert.That(File.Exists(path), Is.False);
        });
    }

    [Test]
    public void TryWrite_Written_NullAndTheFileHasTheNewValue()
    {
        var path = Path.Combine(_dir, "state.json");
        JsonStateFile.Write(path, ["old"], Strings);

        var error = JsonStateFile.TryWrite(path, ["new"], Strings);

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.Null);
            Assert.That(JsonStateFile.Read(path, Strings), Is.EqualTo(new[] { "new" }));
        });
    }

    [Test]
    public void Write_FolderMissing_Throws()
    {
        Assert.That(() => JsonStateFile.Write(Path.Combine(_dir, "no-folder", "state.json"), ["a"], Strings), Throws.InstanceOf<DirectoryNotFoundException>());
    }
}
