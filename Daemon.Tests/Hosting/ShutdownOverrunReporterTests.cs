using GradientNode.Daemon.Hosting;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace GradientNode.Tests.Hosting;

[TestFixture]
[Category("Unit")]
internal sealed class ShutdownOverrunReporterTests
{
    [Test]
    public async Task StopAsync_StopTokenAlreadyFiredTwice_WarnsOnceThatTheShutdownRanPastItsTimeout()
    {
        var logger = new CollectingLogger<ShutdownOverrunReporter>();
        var reporter = new ShutdownOverrunReporter(logger);

        await reporter.StopAsync(new CancellationToken(canceled: true));
        await reporter.StopAsync(new CancellationToken(canceled: true)); // the host is stopped twice: on SIGTERM, then by RoleRunner

        Assert.That(logger.Events, Has.Exactly(1).Matches<(EventId Id, LogLevel Level, string Message)>(
            e => e.Id.Id == 4060 && e.Level == LogLevel.Warning && e.Message.StartsWith("shutdown ran past its 15 s timeout", StringComparison.Ordinal)));
    }

    [Test]
    public async Task StopAsync_StopTokenNotFired_SaysNothing()
    {
        var logger = new CollectingLogger<ShutdownOverrunReporter>();
        var reporter = new ShutdownOverrunReporter(logger);

        await reporter.StopAsync(CancellationToken.None);

        Assert.That(logger.Events, Is.Empty);
    }
}
