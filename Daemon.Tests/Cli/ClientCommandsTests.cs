using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class ClientCommandsTests
{
    [TestCase(null)]
    [TestCase("json")]
    [TestCase("yaml")]
    [TestCase("wide")]
    [TestCase("text")]
    public void CheckFormat_DocumentedFormat_Passes(string? format) =>
        Assert.DoesNotThrow(() => ClientCommands.CheckFormat(format));

    [Test]
    public void CheckFormat_OtherFormat_UsageErrorListingEveryFormatTheVerbsTake()
    {
        var error = Assert.Throws<UsageException>(() => ClientCommands.CheckFormat("bogus"));

        Assert.That(error!.Message, Is.EqualTo("-o takes json, yaml, wide or text, not 'bogus'"));
    }

    [Test]
    public void Validate_Directory_SaysItIsADirectoryAndFails()
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var directory = Path.GetTempPath().TrimEnd('/');

        var exit = ClientCommands.Validate([directory], output, error);

        Assert.That(exit, Is.EqualTo(ExitCodes.Failed));
        Assert.That(error.ToString(), Is.EqualTo($"{directory}: a directory, not a file (name the spec files in it)\n"));
    }
}
