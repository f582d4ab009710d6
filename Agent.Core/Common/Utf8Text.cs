using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace GradientNode.Core.Common;

/// <summary>
/// Decodes UTF-8 input (spec files, request bodies, stdin) without losing track of bytes that are not UTF-8. A UTF-8
/// byte-order mark is dropped. Each byte of an invalid sequence becomes one lone surrogate U+DC80–U+DCFF (the
/// "surrogateescape" of Python), which valid UTF-8 can never produce, so <see cref="FindInvalid"/> (run by the YAML
/// guard before any parser) can refuse the text at the line and column of the first bad byte instead of a decoder
/// silently turning it into U+FFFD.
/// </summary>
public static class Utf8Text
{
    private const char EscapeBase = '\uDC00';

    /// <summary>The text of <paramref name="bytes"/>, invalid bytes escaped as lone surrogates.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        if (Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        var text = new StringBuilder(bytes.Length);
        Span<char> pair = stackalloc char[2];
        while (!bytes.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(bytes, out var rune, out var consumed) == OperationStatus.Done)
            {
                text.Append(pair[..rune.EncodeToUtf16(pair)]);
            }
            else
            {
                foreach (var bad in bytes[..consumed])
                {
                    text.Append((char)(EscapeBase + bad));
                }
            }

            bytes = bytes[consumed..];
        }

        return text.ToString();
    }

    /// <summary>
    /// Where <paramref name="text"/> holds something that is not UTF-8 text (1-based line and column, counted in
    /// characters as the YAML parser counts them) and what, or null when it is all valid.
    /// </summary>
    public static (int Line, int Column, string Problem)? FindInvalid(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length >= 2 && text[0] is '\uDCFF' or '\uDCFE' && text[1] == (text[0] == '\uDCFF' ? '\uDCFE' : '\uDCFF'))
        {
            return (1, 1, "a UTF-16 byte-order mark");
        }

        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                lineStart = i + 1;
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                var problem = c is >= '\uDC80' and <= '\uDCFF'
                    ? string.Create(CultureInfo.InvariantCulture, $"byte 0x{c - EscapeBase:X2}")
                    : string.Create(CultureInfo.InvariantCulture, $"an unpaired surrogate U+{(int)c:X4}");
                return (line, i - lineStart + 1, problem);
            }
        }

        return null;
    }
}
