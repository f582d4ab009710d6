using System.Text;

namespace GradientNode.Core.Common;

/// <summary>
/// Text a replica chose (a probe answer's reason phrase, the status line or header that an HTTP client's error quotes)
/// made fit for a status message or a log line: every control character (C0, DEL, C1: a terminal's escape sequences
/// included) becomes <c>?</c>, and past <paramref name="max"/> characters the rest is cut with <c>… (N more)</c>. A
/// replica answered a probe with a 30,000-character reason phrase of escape sequences, and status, the API and
/// <c>gradient-node get</c> carried all of it.
/// </summary>
public static class ReplicaText
{
    /// <summary>The most characters of a replica's text a message keeps by default.</summary>
    public const int DefaultMax = 200;

    public static string Printable(string? text, int max = DefaultMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var kept = Math.Min(text.Length, max);
        if (kept < text.Length && char.IsHighSurrogate(text[kept - 1]))
        {
            kept--;
        }

        var builder = new StringBuilder(kept + 16);
        foreach (var c in text.AsSpan(0, kept))
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        if (kept < text.Length)
        {
            builder.Append("… (").Append(text.Length - kept).Append(" more)");
        }

        return builder.ToString();
    }
}
