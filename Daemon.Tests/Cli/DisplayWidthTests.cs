using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class DisplayWidthTests
{
    [TestCase("hello", 5)]
    [TestCase("", 0)]
    [TestCase("日本語", 6)]
    [TestCase("한국어", 6)]
    [TestCase("ｈｉ", 4)]
    [TestCase("✨", 2)]
    [TestCase("🚀", 2)]
    [TestCase("Cafe\u0301", 4)]
    [TestCase("Überläufer", 10)]
    [TestCase("a\u200Db", 2)]
    [TestCase("a\u001b]0;t\u0007b", 14)]
    [TestCase("a\u009bb", 8)]
    [TestCase("a\tb\n", 2)]
    public void Of_Text_CountsTerminalColumns(string text, int expected)
    {
        Assert.That(DisplayWidth.Of(text), Is.EqualTo(expected));
    }

    [Test]
    public void PadRight_ControlCharacters_PadsToTheColumnsTheirShownTextTakes()
    {
        // Before, ESC counted 0 columns and the row printed as "\x1bx" pushed the next column out of line.
        var padded = DisplayWidth.PadRight("\u001bx", 8);
        var inner = new StringWriter();
        using (var writer = Daemon.Cli.Terminal.TerminalSafeWriter.Fields(inner))
        {
            writer.Write(padded + "|");
        }

        Assert.That(inner.ToString(), Is.EqualTo("\\x1bx   |"));
    }

    [Test]
    public void PadRight_WideText_PadsToTheColumnsNotTheLength()
    {
        Assert.That(DisplayWidth.PadRight("日本", 6), Is.EqualTo("日本  "));
        Assert.That(DisplayWidth.PadRight("toolong", 3), Is.EqualTo("toolong"));
    }

    [TestCase("short", 10, "short")]
    [TestCase("exactly10!", 10, "exactly10!")]
    [TestCase("one column too long", 18, "one column too lo…")]
    [TestCase("日本語のメッセージ", 7, "日本語…")]
    [TestCase("日本語のメッセージ", 8, "日本語…")]
    public void Cut_TextWiderThanTheColumns_KeepsWholeCharactersAndEndsWithAnEllipsis(string text, int columns, string expected)
    {
        Assert.That(DisplayWidth.Cut(text, columns), Is.EqualTo(expected));
        Assert.That(DisplayWidth.Of(DisplayWidth.Cut(text, columns)), Is.LessThanOrEqualTo(columns));
    }
}
