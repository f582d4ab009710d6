using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradientNode.Core.Common;

/// <summary>
/// Loads a JSON state file of the node that it can do without (<c>node-stops.json</c>, <c>autoscale.json</c>,
/// <c>spec-owners.json</c>, a deployment's retired secret values): a damaged one (empty, cut short, not JSON, another
/// shape) is kept aside as <c>FILE.damaged-&lt;UTC time&gt;</c> and named in a warning (1402) that says what the node does
/// without it, and the node goes on as if nothing were saved. Before, such a file read as "nothing saved" without a word
/// and the next write replaced it. A file that cannot be read (permission, I/O) is left where it is and named (1403).
/// </summary>
public sealed partial class StateFileDamage(TimeProvider time, ILogger logger)
{
    /// <summary>Keeps damaged files aside without logging (tests that do not look at the log).</summary>
    public static StateFileDamage Unlogged { get; } = new(TimeProvider.System, NullLogger.Instance);

    /// <summary>Where a file's failed writes are told (the node's warnings); null: not told (tests, tools).</summary>
    public StateWriteProblems? Writes { get; init; }

    /// <summary>
    /// The file's content; null when it is missing, unreadable (logged) or damaged (kept aside and logged).
    /// <paramref name="without"/> says what the node does without it, for the warning.
    /// </summary>
    public T? Read<T>(string path, JsonTypeInfo<T> type, string without)
        where T : class
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogUnreadable(path, ex.Message, without);
            return null;
        }

        if (JsonDamage.Problem(bytes, type, out var value) is not { } problem)
        {
            return value;
        }

        Report(path, problem, without);
        return null;
    }

    /// <summary>
    /// Keeps a damaged state file of any format aside (<see cref="KeepAside"/>) and names it in warning 1402 with
    /// <paramref name="problem"/> (never its content) and <paramref name="without"/>; returns where it went, or null when it
    /// could not be moved (the warning says so).
    /// </summary>
    public string? Report(string path, string problem, string without)
    {
        string keptAs;
        string? moved = null;
        try
        {
            keptAs = moved = KeepAside(path, time);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            keptAs = $"(not moved: {ex.Message}; the next save replaces it)";
        }

        LogKeptAside(path, problem, keptAs, without);
        return moved;
    }

    /// <summary>
    /// Renames <paramref name="path"/> to <c>PATH.damaged-&lt;UTC time&gt;</c> (a number added if that exists); returns the new
    /// path. Then the older copies of the same file beyond the newest <see cref="KeptCopies"/> are deleted
    /// (<see cref="DamagedCopies.Prune"/>): before, a file damaged again and again (a full disk) left a copy each time, forever.
    /// </summary>
    public static string KeepAside(string path, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var stamp = time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        // Above every copy of this second, not in the first gap: the number orders copies of one second (the oldest are pruned).
        var first = $"{path}.damaged-{stamp}";
        var n = DamagedCopies.LastNumber(path, stamp) + 1;
        var target = n == 1 ? first : $"{first}-{n.ToString(CultureInfo.InvariantCulture)}";
        while (File.Exists(target) || Directory.Exists(target))
        {
            target = $"{first}-{(++n).ToString(CultureInfo.InvariantCulture)}";
        }

        File.Move(path, target);
        DamagedCopies.Prune(path, target, KeptCopies);
        return target;
    }

    /// <summary>How many kept-aside copies of one state file stay (the newest, the one just kept always among them).</summary>
    public const int KeptCopies = 3;

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "state file {Path} was damaged ({Problem}); kept aside as {KeptAs}; {Without}")]
    private partial void LogKeptAside(string path, string problem, string keptAs, string without);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Warning, Message = "state file {Path} could not be read ({Error}); left where it is; {Without}")]
    private partial void LogUnreadable(string path, string error, string without);
}
