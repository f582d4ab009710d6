using GradientNode.Core.Datasets;
using NUnit.Framework;

namespace GradientNode.Tests.Datasets;

[TestFixture]
[Category("Unit")]
internal sealed class StoreFileTests
{
    [TestCase("security.selinux", true)]
    [TestCase("security.capability", false)]
    [TestCase("security.selinux.extra", false)]
    [TestCase("user.origin", false)]
    [TestCase("trusted.x", false)]
    [TestCase("system.posix_acl_access", false)]
    public void Kept_AttributeName_OnlyTheSelinuxLabelTheKernelLetsNoOneRemove(string name, bool kept) =>
        Assert.That(StoreFile.Kept(name), Is.EqualTo(kept));
}
