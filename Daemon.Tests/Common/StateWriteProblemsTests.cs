using GradientNode.Core.Common;
using NUnit.Framework;

namespace GradientNode.Tests.Common;

[TestFixture]
[Category("Unit")]
internal sealed class StateWriteProblemsTests
{
    [TestCase(28, "No space left on device : '/var/lib/gradient/.slot-counters.json.12.ab.tmp'", "No space left on device, ENOSPC")]
    [TestCase(30, "Read-only file system : '/var/lib/gradient/.replica-states.json.12.cd.tmp'", "Read-only file system, EROFS")]
    [TestCase(20, "Could not find a part of the path '/s/state/.slot-counters.json.3500.369349b11e3e4afa84f6e48acb730702.tmp'.", "Could not find a part of the path '/s/state/slot-counters.json'.")]
    public void Reason_IoErrorNamingItsTempFile_TheErrorAndItsErrnoWithoutTheFile(int errno, string message, string expected)
    {
        Assert.That(StateWriteProblems.Reason(new IOException(message, errno)), Is.EqualTo(expected));
    }
}
