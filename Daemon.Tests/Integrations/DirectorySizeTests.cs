using GradientNode.Core.Integrations;
using NUnit.Framework;

namespace GradientNode.Tests.Integrations;

[TestFixture]
[Category("Unit")]
internal sealed class DirectorySizeTests
{
    private string _root = null!;
    private string _outside = null!;

    [SetUp]
    public void SetUp()
    {
        _root = Directory.CreateTempSubdirectory("gn-size-").FullName;
        _outside = Directory.CreateTempSubdirectory("gn-size-outside-").FullName;
    }

    [TearDown]
    public void TearDown()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }

    [Test]
    public void Of_FilesInNestedFolders_CountsEveryByteAndFile()
    {
        Directory.CreateDirectory(Path.Combine(_root, "a", "b"));
        File.WriteAllBytes(Path.Combine(_root, "top.bin"), new byte[10]);
        File.WriteAllBytes(Path.Combine(_root, "a", "b", "deep.bin"), new byte[5]);

        Assert.That(DirectorySize.Of(_root), Is.EqualTo((15L, 2L)));
    }

    [Test]
    public void Of_MissingFolder_IsZero()
    {
        Assert.That(DirectorySize.Of(Path.Combine(_root, "missing")), Is.EqualTo((0L, 0L)));
    }

    [Test]
    public void Of_LinksToAHostFolderAndAFileOutside_NeverFollowed()
    {
        // A cloned repository (a spec author's content) holds links to host paths: the root daemon must not walk there.
        File.WriteAllBytes(Path.Combine(_outside, "host-secret.bin"), new byte[1000]);
        File.WriteAllBytes(Path.Combine(_root, "own.bin"), new byte[7]);
        File.CreateSymbolicLink(Path.Combine(_root, "host-folder"), _outside);
        File.CreateSymbolicLink(Path.Combine(_root, "host-file"), Path.Combine(_outside, "host-secret.bin"));

        Assert.That(DirectorySize.Of(_root), Is.EqualTo((7L, 1L)));
    }

    [Test]
    public void Of_LinksBackToTheirOwnFolder_FinishesAtOnce()
    {
        // Two links to "." make 2^40 paths before the kernel's ELOOP: the walk must not follow them (it never finished).
        Directory.CreateDirectory(Path.Combine(_root, "d"));
        File.WriteAllBytes(Path.Combine(_root, "d", "f.bin"), new byte[3]);
        File.CreateSymbolicLink(Path.Combine(_root, "d", "x"), ".");
        File.CreateSymbolicLink(Path.Combine(_root, "d", "y"), ".");

        var size = Task.Run(() => DirectorySize.Of(_root));

        Assert.That(size.Wait(TimeSpan.FromSeconds(5)), Is.True, "the walk followed the links back into their own folder");
        Assert.That(size.Result, Is.EqualTo((3L, 1L)));
    }
}
