using System.Text;
using GradientNode.Daemon.Cli.Terminal;
using NUnit.Framework;

namespace GradientNode.Tests.Cli.Terminal;

/// <summary>A deployment's log as bytes on the way to a terminal: invalid UTF-8 as U+FFFD, controls as text, split input kept whole.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class TerminalSafeStreamTests
{
    [Test]
    public async Task Write_InvalidUtf8AndControls_ReplacementCharacterAndText()
    {
        byte[] log = [.. "ok "u8, 0xff, 0xc3, (byte)' ', .. "\u001b]52;c;eA==\u0007 \u001b[32mgreen\u001b[0m\r\n"u8, 0x00];

        var shown = await ShowAsync(log);

        Assert.That(shown, Is.EqualTo("ok \ufffd\ufffd \\x1b]52;c;eA==\\x07 \u001b[32mgreen\u001b[0m\r\n\\x00"));
    }

    [Test]
    public async Task Write_CharacterAndSgrSplitByteByByte_KeptWhole()
    {
        var log = "日本 \u001b[1mbold\u001b[0m \u009b2J\n"u8.ToArray();

        var shown = await ShowAsync(log, chunk: 1);

        Assert.That(shown, Is.EqualTo("日本 \u001b[1mbold\u001b[0m \\u009b2J\n"));
    }

    [Test]
    public async Task Dispose_LogEndsInsideAnEscapeSequenceOrACharacter_WrittenAsText()
    {
        byte[] log = [.. "end \u001b[3"u8];

        var shown = await ShowAsync(log);
        var cut = await ShowAsync([.. "end "u8, 0xe6, 0x97]);

        Assert.Multiple(() =>
        {
            Assert.That(shown, Is.EqualTo(@"end \x1b[3"));
            Assert.That(cut, Is.EqualTo("end \ufffd"));
        });
    }

    private static async Task<string> ShowAsync(byte[] log, int chunk = 4096)
    {
        var sink = new MemoryStream();
        await using (var safe = new TerminalSafeStream(sink))
        {
            for (var at = 0; at < log.Length; at += chunk)
            {
                await safe.WriteAsync(log.AsMemory(at, Math.Min(chunk, log.Length - at)));
            }
        }

        return Encoding.UTF8.GetString(sink.ToArray());
    }
}
