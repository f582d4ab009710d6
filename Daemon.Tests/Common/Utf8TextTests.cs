using System.Text;
using GradientNode.Core.Common;
using NUnit.Framework;

namespace GradientNode.Tests.Common;

[TestFixture]
[Category("Unit")]
internal sealed class Utf8TextTests
{
    [Test]
    public void Decode_ValidUtf8WithBom_DropsTheBomOnly()
    {
        var text = Utf8Text.Decode([0xEF, 0xBB, 0xBF, .. "name: é 😀\n"u8]);

        Assert.That(text, Is.EqualTo("name: é 😀\n"));
        Assert.That(Utf8Text.FindInvalid(text), Is.Null);
    }

    [Test]
    public void Decode_InvalidBytes_KeptAsLoneSurrogatesAndFoundAtTheirLineAndColumn()
    {
        var text = Utf8Text.Decode([.. "a: 1\nenv: x"u8, 0xFF, 0xC3, .. "y\n"u8]);

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Not.Contain("\uFFFD"));
            Assert.That(Utf8Text.FindInvalid(text), Is.EqualTo((2, 7, "byte 0xFF")));
        });
    }

    [Test]
    public void Decode_TruncatedSequenceAtTheEnd_Found()
    {
        var text = Utf8Text.Decode([.. "x: "u8, 0xE2, 0x82]);

        Assert.That(Utf8Text.FindInvalid(text), Is.EqualTo((1, 4, "byte 0xE2")));
    }

    [Test]
    public void Decode_Utf16File_FoundAsAUtf16ByteOrderMark()
    {
        var text = Utf8Text.Decode(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("a: 1\n")).ToArray());

        Assert.That(Utf8Text.FindInvalid(text), Is.EqualTo((1, 1, "a UTF-16 byte-order mark")));
    }

    [Test]
    public void FindInvalid_UnpairedSurrogateFromAJsonEscape_Found() =>
        Assert.That(Utf8Text.FindInvalid("a: \uD800b"), Is.EqualTo((1, 4, "an unpaired surrogate U+D800")));

    [Test]
    public void FindInvalid_ReplacementCharacterWrittenOnPurpose_IsValid() =>
        Assert.That(Utf8Text.FindInvalid("a: \uFFFD"), Is.Null);
}
