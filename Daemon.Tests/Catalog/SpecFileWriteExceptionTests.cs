using GradientNode.Core.Catalog;
using NUnit.Framework;

namespace GradientNode.Tests.Catalog;

[TestFixture]
[Category("Unit")]
internal sealed class SpecFileWriteExceptionTests
{
    [Test]
    public void For_AccessDeniedOnTheTemporaryFile_GivesTheSystemsReasonNotTheTemporaryPath()
    {
        var denied = new UnauthorizedAccessException(
            "Access to the path '/etc/gradient/specs/.web.yaml.12.abc.tmp' is denied.",
            new IOException("Operation not permitted"));

        var error = SpecFileWriteException.For("write", "/etc/gradient/specs/web.yaml", denied);

        Assert.That(error.Message, Is.EqualTo("cannot write the spec file /etc/gradient/specs/web.yaml: permission denied: Operation not permitted; nothing was changed"));
    }

    [Test]
    public void For_DiskFull_DropsTheTemporaryPathFromTheReason()
    {
        var full = new IOException("No space left on device : '/etc/gradient/specs/.web.yaml.12.abc.tmp'", 28);

        var error = SpecFileWriteException.For("write", "/etc/gradient/specs/web.yaml", full);

        Assert.That(error.Message, Is.EqualTo("cannot write the spec file /etc/gradient/specs/web.yaml: No space left on device; nothing was changed"));
    }
}
