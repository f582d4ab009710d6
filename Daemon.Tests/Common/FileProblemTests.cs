using GradientNode.Core.Common;
using NUnit.Framework;

namespace GradientNode.Tests.Common;

[TestFixture]
[Category("Unit")]
internal sealed class FileProblemTests
{
    // What .NET throws on Linux when a write finds the disk full: the errno (ENOSPC, 28) in HResult, the temp file in the text.
    internal static IOException NoSpace() =>
        new("No space left on device : '/var/lib/gradient/datasets/out/.dataset.json.18087.55785f9c4c6440f4a0616c340729d306.tmp'", 28);

    [Test]
    public void Describe_NoSpaceOnATempFile_SaysTheReasonAndTheFolderNotTheTempName()
    {
        Assert.Multiple(() =>
        {
            Assert.That(FileProblem.Describe(NoSpace()), Is.EqualTo("No space left on device (in /var/lib/gradient/datasets/out)"));
            Assert.That(FileProblem.IsNoSpace(NoSpace()), Is.True);
            Assert.That(FileProblem.IsNoSpace(new IOException("Read-only file system : '/x/y'", 30)), Is.False);
            Assert.That(FileProblem.Describe(new UnauthorizedAccessException("denied", new IOException("Permission denied : '/x/y'", 13))), Is.EqualTo("Permission denied (in /x)"), "said once, not \"permission denied: Permission denied\"");
            Assert.That(FileProblem.Describe(new UnauthorizedAccessException("Access to the path '/x/y' is denied.")), Is.EqualTo("permission denied: Access to the path '/x/y' is denied"));
        });
    }
}
