using GradientNode.Daemon.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace GradientNode.Tests.Hosting;

[TestFixture]
[Category("Unit")]
[NonParallelizable] // swaps Console.Out, which the console logger writes to
internal sealed class LoggingTests
{
    /// <summary>
    /// What a hostile registry answers a pull (a spec author's own, on loopback) reaches the daemon's log through the
    /// engine's error: an OSC title, a screen clear, a colour, a carriage return that puts a forged line over the real
    /// one, and a C1 CSI. The daemon's log is the operator's terminal under <c>up</c> (run.sh) and the journal under systemd.
    /// </summary>
    private const string RegistryAnswer = "denied: nope \u001b]0;PWNED\u0007\u001b[2J\u001b[31mFAKE\r2026-12-06T00:00:00.000Z crit: forged\u009b1m\0end";

    [Test]
    public void Configure_MessageWithEscapesFromARegistry_ControlCharactersWrittenAsTextOnOneLine()
    {
        var written = LogOnce(logger => logger.LogWarning("pulling image {Image} failed: {Reason}", "127.0.0.1:5000/x:1", RegistryAnswer));

        Assert.That(written, Does.Contain(@"denied: nope \x1b]0;PWNED\x07\x1b[2J\x1b[31mFAKE\x0d2026-12-06T00:00:00.000Z crit: forged\u009b1m\x00end"));
        Assert.That(written.TrimEnd('\n').Where(c => char.IsControl(c)), Is.Empty, "no control character reaches the log, the line's end aside");
        Assert.That(written.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), "one event, one line");
    }

    [Test]
    public void Configure_ExceptionWithAControlCharacterInItsMessage_StaysOneLineOfText()
    {
        var written = LogOnce(logger => logger.LogError(new InvalidOperationException("bad\u001b[2Jthing\nsecond line"), "worker failed"));

        Assert.That(written, Does.Contain(@"bad\x1b[2Jthing"));
        Assert.That(written.TrimEnd('\n').Where(c => char.IsControl(c)), Is.Empty);
    }

    [Test]
    public void Configure_CalledTwiceAsUpDoesForItsTwoRoles_EscapesOnceNotTwice()
    {
        var written = LogOnce(logger => logger.LogInformation("a\u0007b"), configureTwice: true);

        Assert.That(written, Does.Contain(@"a\x07b"));
        Assert.That(written, Does.Not.Contain(@"\\x07"));
    }

    private static string LogOnce(Action<ILogger> log, bool configureTwice = false)
    {
        var original = Console.Out;
        var originalError = Console.Error;
        var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            var services = new ServiceCollection();
            services.AddLogging(logging =>
            {
                Logging.Configure(logging);
                if (configureTwice)
                {
                    Logging.Configure(logging);
                }
            });
            using (var provider = services.BuildServiceProvider())
            {
                log(provider.GetRequiredService<ILoggerFactory>().CreateLogger("GradientNode.Test"));
            } // disposing the provider flushes the console logger's queue

            Console.Out.Flush();
            return captured.ToString();
        }
        finally
        {
            Console.SetOut(original);
            Console.SetError(originalError);
        }
    }
}
