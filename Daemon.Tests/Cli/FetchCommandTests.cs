using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class FetchCommandTests
{
    [Test]
    public void RunAsync_UnknownOption_UsageErrorNamingItAndNothingCreated()
    {
        var target = Path.Combine(Path.GetTempPath(), $"gn-fetch-{Guid.NewGuid():N}");
        var args = ParsedArgs.Parse(["s3://bucket/prefix", target, "--bogus", "x"]);

        var error = Assert.ThrowsAsync<UsageException>(() => FetchCommand.RunAsync(args, TextWriter.Null, TextWriter.Null, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Is.EqualTo("unknown option --bogus for fetch"));
            Assert.That(Directory.Exists(target), Is.False, "refused before the target folder is made");
        });
    }

    [Test]
    public void RunAsync_MisspeltOption_SuggestsTheOneFetchTakes()
    {
        var args = ParsedArgs.Parse(["s3://bucket/prefix", "/nonexistent/gn-fetch", "--regoin", "eu-west-1"]);

        var error = Assert.ThrowsAsync<UsageException>(() => FetchCommand.RunAsync(args, TextWriter.Null, TextWriter.Null, CancellationToken.None));

        Assert.That(error!.Message, Is.EqualTo("unknown option --regoin for fetch; did you mean '--region'?"));
    }
}
