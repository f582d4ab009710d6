using System.Text;
using GradientNode.Daemon.Cli.Terminal;
using NUnit.Framework;

namespace GradientNode.Tests.Cli.Terminal;

/// <summary>Control characters a container prints reach the reader's terminal only as text; colours and \r stay in a log.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class TerminalFilterTests
{
    [TestCase("\u001b]52;c;aGVsbG8=\u0007", @"\x1b]52;c;aGVsbG8=\x07", TestName = "Logs_Osc52ClipboardWrite_ShownAsText")]
    [TestCase("\u001b]0;pwned\u0007", @"\x1b]0;pwned\x07", TestName = "Logs_WindowTitle_ShownAsText")]
    [TestCase("secret\u001b[2K\u001b[1Ahidden", @"secret\x1b[2K\x1b[1Ahidden", TestName = "Logs_CursorMovesAndErase_ShownAsText")]
    [TestCase("\u001bc", @"\x1bc", TestName = "Logs_FullReset_ShownAsText")]
    [TestCase("\u001bP+q544e\u001b\\", @"\x1bP+q544e\x1b\", TestName = "Logs_DcsSequence_ShownAsText")]
    [TestCase("a\0b\u0007c\bd\u007fe", @"a\x00b\x07c\x08d\x7fe", TestName = "Logs_NulBelBackspaceDel_ShownAsText")]
    [TestCase("\u009b31m\u009d0;t\u009c", @"\u009b31m\u009d0;t\u009c", TestName = "Logs_C1Controls_ShownAsText")]
    [TestCase("\u001b[?1049h", @"\x1b[?1049h", TestName = "Logs_AlternateScreen_ShownAsText")]
    [TestCase("\u001b[38;5;196mred\u001b[0m plain \u001b[m", "\u001b[38;5;196mred\u001b[0m plain \u001b[m", TestName = "Logs_SgrColours_Kept")]
    [TestCase("step 1/3\rstep 2/3\rstep 3/3\n\tdone\n", "step 1/3\rstep 2/3\rstep 3/3\n\tdone\n", TestName = "Logs_CarriageReturnTabNewline_Kept")]
    [TestCase("ünïcödé 日本 \ud83d\ude00", "ünïcödé 日本 \ud83d\ude00", TestName = "Logs_PrintableUnicode_Kept")]
    [TestCase("\u001b", @"\x1b", TestName = "Logs_EscapeAtTheEnd_ShownAsText")]
    [TestCase("\u001b[31", @"\x1b[31", TestName = "Logs_UnfinishedSgrAtTheEnd_ShownAsText")]
    [TestCase("\u001b\u001b[1m", "\\x1b\u001b[1m", TestName = "Logs_EscapeBeforeAnSgr_FirstShownSecondKept")]
    public void Logs_Text_ShownSafely(string text, string expected)
    {
        Assert.That(Run(TerminalFilter.ForLogs(), text), Is.EqualTo(expected));
    }

    [Test]
    public void Feed_SgrSplitBetweenTwoWrites_KeptWhole()
    {
        var filter = TerminalFilter.ForLogs();
        var output = new StringBuilder();

        filter.Feed("red: \u001b[3", output);
        var between = output.ToString();
        filter.Feed("1mR\u001b[0m\n", output);
        filter.Finish(output);

        Assert.Multiple(() =>
        {
            Assert.That(between, Is.EqualTo("red: "), "the unfinished sequence waits");
            Assert.That(output.ToString(), Is.EqualTo("red: \u001b[31mR\u001b[0m\n"));
        });
    }

    [Test]
    public void Feed_LongSgrLikeSequence_ShownAsTextPastTheLimit()
    {
        var text = "\u001b[" + new string('1', 100) + "m";

        var shown = Run(TerminalFilter.ForLogs(), text);

        Assert.That(shown, Does.StartWith(@"\x1b[111").And.EndWith("1m").And.Not.Contains("\u001b"));
    }

    [Test]
    public void Field_ColoursAndCarriageReturn_ShownAsTextTabAndNewlineKept()
    {
        var shown = TerminalFilter.Field("exit \u001b[31mred\u001b[0m\rover\u001b]52;c;eA==\u0007\ttab\nline");

        Assert.That(shown, Is.EqualTo(@"exit \x1b[31mred\x1b[0m\x0dover\x1b]52;c;eA==\x07" + "\ttab\nline"));
    }

    [Test]
    public void Field_NoControlCharacter_SameString()
    {
        const string text = "replica 0: ready (日本)";

        Assert.That(TerminalFilter.Field(text), Is.SameAs(text));
    }

    [Test]
    public void IsControl_EveryCodePointBelowA0_ControlsAreC0ButTabAndNewlineDelAndC1()
    {
        var controls = Enumerable.Range(0, 0xa0).Where(i => TerminalFilter.IsControl((char)i)).ToList();

        var expected = Enumerable.Range(0, 0x20).Where(i => i is not ('\n' or '\t')).Append(0x7f).Concat(Enumerable.Range(0x80, 0x20));
        Assert.That(controls, Is.EqualTo(expected));
    }

    private static string Run(TerminalFilter filter, string text)
    {
        var output = new StringBuilder();
        filter.Feed(text, output);
        filter.Finish(output);
        return output.ToString();
    }
}
