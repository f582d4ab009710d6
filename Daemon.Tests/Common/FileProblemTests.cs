using GradientNode.Core.Common;
using GradientNode.Core.Workflows.Execution;
using NUnit.Framework;

namespace GradientNode.Tests.Common;

[TestFixture]
[Category("Unit")]
internal sealed class FileProblemTests
{
    // What .NET throws on Linux when a write finds the disk full: the errno (ENOSPC, 28) in HResult, the temp file in the text.
    private static IOException NoSpace() =>
        new("No space left on device : '/var/lib/gradient/datasets/out/.dataset.json.18087.55785f9c4c6440f4a0616c340729d306.tmp'", 28);

    [Test]
    public void Describe_NoSpaceOnATempFile_SaysTheReasonAndTheFolderNotTheTempName()
    {
        Assert.Multiple(() =>
        {
            Assert.That(FileProblem.Describe(NoSpace()), Is.EqualTo("No space left on device (in /var/lib/gradient/datasets/out)"));
            Assert.That(FileProblem.IsNoSpace(NoSpace()), Is.True);
            Assert.That(FileProblem.IsNoSpace(new IOException("Read-only file system : '/x/y'", 30)), Is.False);
            Assert.That(FileProblem.Describe(new UnauthorizedAccessException("denied", new IOException("Permission denied : '/x/y'", 13))), Is.EqualTo("permission denied: Permission denied (in /x)"));
        });
    }

    [Test]
    public void CommitProblem_DiskFull_NamesTheFolderAndSaysWhatToDo()
    {
        // Before: "dataset output 'out' could not be committed: No space left on device : '…/.dataset.json.18087.5578….tmp'".
        Assert.Multiple(() =>
        {
            Assert.That(JobRunner.CommitProblem(NoSpace()), Is.EqualTo(
                "No space left on device (in /var/lib/gradient/datasets/out): the disk of the node's state directory is full; free space (gradient-node datasets gc, gradient-node workflows delete NAME --all) and run the workflow again"));
            Assert.That(JobRunner.CommitProblem(new InvalidOperationException("the store said no")), Is.EqualTo("the store said no"));
        });
    }
}
