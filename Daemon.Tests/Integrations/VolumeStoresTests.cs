using GradientNode.Core.Datasets;
using GradientNode.Core.Integrations;
using NUnit.Framework;

namespace GradientNode.Tests.Integrations;

[TestFixture]
[Category("Unit")]
internal sealed class VolumeStoresTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("gn-stores-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public void SecureRoots_VolumesLeft0755AndModelsMissing_BothMade0700()
    {
        Directory.CreateDirectory(Path.Combine(_root, "volumes"), (UnixFileMode)0b111_101_101);
        var stores = new VolumeStores(_root, new DatasetStore(Path.Combine(_root, "datasets"), TimeProvider.System));

        stores.SecureRoots();

        Assert.That(File.GetUnixFileMode(Path.Combine(_root, "volumes")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        Assert.That(File.GetUnixFileMode(Path.Combine(_root, "models")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
    }
}
