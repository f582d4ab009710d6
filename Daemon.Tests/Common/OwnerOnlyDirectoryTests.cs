using GradientNode.Core.Common;
using NUnit.Framework;

namespace GradientNode.Tests.Common;

[TestFixture]
[Category("Unit")]
internal sealed class OwnerOnlyDirectoryTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("gn-owner-only-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public void Create_Missing_Made0700()
    {
        var path = Path.Combine(_root, "secrets");

        OwnerOnlyDirectory.Create(path);

        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
    }

    [Test]
    public void Create_ThereAlreadyOpenToOthers_Made0700AndItsFilesKept()
    {
        var path = Directory.CreateDirectory(Path.Combine(_root, "secrets")).FullName;
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        File.WriteAllText(Path.Combine(path, "token"), "x");

        OwnerOnlyDirectory.Create(path);

        Assert.Multiple(() =>
        {
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(OwnerOnlyDirectory.Mode));
            Assert.That(File.ReadAllText(Path.Combine(path, "token")), Is.EqualTo("x"));
        });
    }
}
