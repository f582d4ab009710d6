using GradientNode.Core.Common;
using NUnit.Framework;

namespace GradientNode.Tests.Common;

[TestFixture]
[Category("Unit")]
internal sealed class ContainerExitTests
{
    [TestCase(137, "exited with code 137 (SIGKILL: killed, e.g. by docker kill")]
    [TestCase(139, "exited with code 139 (SIGSEGV: a segmentation fault)")]
    [TestCase(143, "exited with code 143 (SIGTERM: asked to stop")]
    [TestCase(134, "exited with code 134 (SIGABRT: ")]
    public void Describe_SignalCode_NamesTheSignal(int code, string expected) =>
        Assert.That(ContainerExit.Describe(code), Does.StartWith(expected));

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(128)]
    [TestCase(133)]
    [TestCase(255)]
    [TestCase(-1)]
    public void Describe_OtherCode_IsTheBareNumber(int code) =>
        Assert.That(ContainerExit.Describe(code), Is.EqualTo($"exited with code {code}"));
}
