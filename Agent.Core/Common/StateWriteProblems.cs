using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Common;

/// <summary>
/// The state files the node keeps in memory only because they could not be written (the state directory full, remounted
/// read-only, a lost mount): each is logged once per file and kind of error (warning 1405, not at each try), once when
/// it is written again (1406), and listed under the node's warnings (<c>gradient-node node</c>) meanwhile. Before, a
/// failed write of <c>slot-counters.json</c> or <c>replica-states.json</c> was retried silently: on a read-only state
/// directory nothing anywhere said that the counts would not survive a restart. One per node (the daemon's services share it).
/// </summary>
public sealed partial class StateWriteProblems(ILogger<StateWriteProblems> logger)
{
    private readonly ConcurrentDictionary<string, (string Kind, string Line)> _problems = new(StringComparer.Ordinal);

    /// <summary>One line per file not written, by file name.</summary>
    public IReadOnlyList<string> Warnings => [.. _problems.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value.Line)];

    /// <summary>
    /// <paramref name="path"/> could not be written (<paramref name="error"/>); <paramref name="meanwhile"/> says what that
    /// costs. Logged when new, or when the kind of error changed (a full disk then remounted read-only).
    /// </summary>
    public void Failed(string path, Exception error, string meanwhile)
    {
        ArgumentNullException.ThrowIfNull(error);
        var reason = Reason(error);
        var line = $"state file {path} cannot be written ({reason}); {meanwhile}; written again at the next change once it can be";
        var kind = $"{error.GetType().Name} {error.HResult}"; // known by its kind, not its words
        var known = _problems.TryGetValue(path, out var was) && was.Kind == kind;
        _problems[path] = (kind, line);
        if (!known)
        {
            LogFailed(path, reason, meanwhile);
        }
    }

    /// <summary><paramref name="path"/> was written: a problem noted for it is gone (logged once).</summary>
    public void Written(string path)
    {
        if (_problems.TryRemove(path, out _))
        {
            LogWritten(path);
        }
    }

    /// <summary>
    /// The error without the temp file it names (a full disk's message names each try's own: <c>No space left on device :
    /// '/var/lib/gradient/.slot-counters.json.123.abc.tmp'</c>), with the errno's name where .NET keeps it (ENOSPC, EROFS).
    /// </summary>
    public static string Reason(Exception error)
    {
        var message = TempName().Replace(error.Message, "/$1");
        var cut = message.IndexOf(" : '", StringComparison.Ordinal);
        var text = cut > 0 ? message[..cut] : message;
        var errno = FileProblem.ErrnoName(error.HResult);
        return errno is null || text.Contains(errno, StringComparison.Ordinal) ? text : $"{text}, {errno}";
    }

    /// <summary>An atomic write's temp file (<see cref="AtomicFile"/>: <c>.NAME.PID.GUID.tmp</c> beside NAME), to name NAME instead.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"/\.([^/']+)\.[0-9]+\.[0-9a-f]{32}\.tmp")]
    private static partial System.Text.RegularExpressions.Regex TempName();

    [LoggerMessage(EventId = 1405, Level = LogLevel.Warning, Message = "state file {Path} cannot be written ({Error}); {Meanwhile}; tried again at the next change (logged once)")]
    private partial void LogFailed(string path, string error, string meanwhile);

    [LoggerMessage(EventId = 1406, Level = LogLevel.Information, Message = "state file {Path} is written again")]
    private partial void LogWritten(string path);
}
