using System.Globalization;
using System.Net.Sockets;
using System.Text;
using GradientNode.Core.Engine;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// The words a status uses for an engine call that failed. A failure to talk to the engine at all (no socket, refused,
/// reset, no answer in time) is <c>cannot reach the Docker engine: …</c>, a transient outage; an answer of the engine (a
/// 4xx/5xx: a bad option, a conflict, an unknown runtime, an invalid mount) is <c>the Docker engine refused OPERATION
/// (HTTP N): ITS MESSAGE</c>, which retrying alone will not fix.
/// </summary>
public static class EngineFailure
{
    /// <summary>True when the engine could not be reached; false when it answered (or for anything else).</summary>
    public static bool IsUnreachable(Exception ex) => ex switch
    {
        EngineUnavailableException => true,
        EngineException => false,
        HttpRequestException or IOException or SocketException or TimeoutException => true,
        OperationCanceledException { InnerException: TimeoutException } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsUnreachable),
        _ => false,
    };

    /// <summary>The status sentence for <paramref name="ex"/>, an engine failure (see the type's summary).</summary>
    public static string Describe(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        if (ex is EngineUnavailableException { Host: { } host, Reason: { } reason })
        {
            // Said once: before, "cannot reach the Docker engine: Docker engine at HOST is unreachable: WHY".
            return $"cannot reach the Docker engine at {host}: {reason}";
        }

        if (IsUnreachable(ex))
        {
            return $"cannot reach the Docker engine: {ex.Message}";
        }

        if (ex is ImageLabelsRefusedException { Operation: { } refused })
        {
            // The node's own check before the create (NodeLabelsGuard): the engine was not asked.
            return $"the node refused {refused}: {ex.Message}";
        }

        if (ex is EngineException { Operation: { } operation } engine)
        {
            var status = engine.StatusCode > 0 ? $" (HTTP {engine.StatusCode})" : string.Empty;
            return $"the Docker engine refused {operation}{status}: {engine.Answer}";
        }

        return $"the Docker engine refused: {ex.Message}";
    }

    /// <summary>
    /// What an outage's status adds to <see cref="Describe"/>: its replicas and their readiness are the last ones the engine
    /// reported, at <paramref name="observedAt"/> (the status's ObservedAt, kept through the outage). The node cannot know
    /// more: a dockerd with live-restore keeps them running, one without it stopped them with itself (faults10: the
    /// status said <c>Ready 2/2</c> with no hint that this was a memory). A status read from disk at start has no time.
    /// </summary>
    public static string LastSeen(DateTimeOffset observedAt) => observedAt == default
        ? "; replicas and readiness as last seen before the node started, unknown since (dockerd stops them with itself unless live-restore is on)"
        : string.Create(CultureInfo.InvariantCulture,
            $"; replicas and readiness as last seen at {observedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss}Z, unknown since (dockerd stops them with itself unless live-restore is on)");

    /// <summary>
    /// <paramref name="text"/> with every one of <paramref name="secrets"/> replaced by <c>***</c> (longest first, so a
    /// value that contains another is hidden whole): the engine may echo what it was sent, env values included. Each
    /// value is hidden as sent and as Go quotes it (<see cref="GoQuoted"/>): runc refuses an env value with a NUL byte
    /// by quoting the whole <c>NAME=VALUE</c> with <c>%q</c>, NUL as <c>\x00</c>, so the value as sent is not in the text.
    /// </summary>
    public static string Redact(string text, IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(secrets);
        var forms = secrets.Where(s => s.Length > 0).SelectMany(s => new[] { s, GoQuoted(s) });
        foreach (var secret in forms.Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>
    /// <paramref name="value"/> as Go's <c>strconv.Quote</c> (<c>%q</c>) writes it, without the outer quotes: <c>\a \b \f
    /// \n \r \t \v \\ \"</c>, other control characters as <c>\xNN</c>, other unprintable ones as <c>\uNNNN</c> or
    /// <c>\UNNNNNNNN</c>, the rest as is.
    /// </summary>
    public static string GoQuoted(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var quoted = new StringBuilder(value.Length + 8);
        foreach (var rune in value.EnumerateRunes())
        {
            quoted.Append(rune.Value switch
            {
                '\u0007' => "\\a",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\v' => "\\v",
                '\\' => "\\\\",
                '"' => "\\\"",
                < 0x20 or 0x7f => string.Create(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}"),
                ' ' => " ",
                _ when IsGoPrintable(rune) => rune.ToString(),
                < 0x10000 => string.Create(CultureInfo.InvariantCulture, $"\\u{rune.Value:x4}"),
                _ => string.Create(CultureInfo.InvariantCulture, $"\\U{rune.Value:x8}"),
            });
        }

        return quoted.ToString();
    }

    /// <summary>Go's <c>unicode.IsPrint</c>: letters, marks, numbers, punctuation and symbols (of spaces, only ASCII's).</summary>
    private static bool IsGoPrintable(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
            or UnicodeCategory.Surrogate or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator => false,
        _ => true,
    };
}
