using System.Net.Sockets;
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
        if (IsUnreachable(ex))
        {
            return $"cannot reach the Docker engine: {ex.Message}";
        }

        if (ex is EngineException { Operation: { } operation } engine)
        {
            var status = engine.StatusCode > 0 ? $" (HTTP {engine.StatusCode})" : string.Empty;
            return $"the Docker engine refused {operation}{status}: {engine.EngineMessage ?? engine.Message}";
        }

        return $"the Docker engine refused: {ex.Message}";
    }

    /// <summary>
    /// <paramref name="text"/> with every one of <paramref name="secrets"/> replaced by <c>***</c> (longest first, so a
    /// value that contains another is hidden whole): the engine may echo what it was sent, env values included.
    /// </summary>
    public static string Redact(string text, IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(secrets);
        foreach (var secret in secrets.Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text;
    }
}
