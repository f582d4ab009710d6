using GradientNode.Daemon.Hosting;
using NUnit.Framework;

namespace GradientNode.Tests.Hosting;

[TestFixture]
[Category("Unit")]
internal sealed class InheritedSignalsTests
{
    private const string Status = "Name:\tgradient-node\nSigQ:\t0/95282\nSigPnd:\t0000000000000000\nShdPnd:\t0000000000000000\nSigBlk:\t0000000000000000\nSigIgn:\t{0}\nSigCgt:\t0000000000004a02\n";

    [TestCase("0000000000000000", 1, false)]
    [TestCase("0000000000000001", 1, true)]
    [TestCase("0000000000000007", 1, true)]
    [TestCase("0000000000000006", 1, false)]
    [TestCase("0000000000000006", 2, true)]
    [TestCase("0000000000004000", 15, true)]
    [TestCase("8000000000000000", 64, true)]
    public void IsIgnored_SigIgnMask_ReadsTheSignalsBit(string mask, int signal, bool expected) =>
        Assert.That(InheritedSignals.IsIgnored(string.Format(System.Globalization.CultureInfo.InvariantCulture, Status, mask), signal), Is.EqualTo(expected));

    [TestCase("")]
    [TestCase("Name:\tx\n")]
    [TestCase("SigIgn:\tnot-hex\n")]
    public void IsIgnored_NoUsableMask_False(string status) =>
        Assert.That(InheritedSignals.IsIgnored(status, InheritedSignals.Hangup), Is.False);
}
