using System.Text.Json;
using GradientNode.Core.Common;

namespace GradientNode.Core.Traffic;

/// <summary>Reads and writes <c>&lt;dir&gt;/proxy-stats.json</c> (atomic replace, 0600, not flushed to disk: runtime figures).</summary>
public static class TrafficFile
{
    public static string PathIn(string directory) => Path.Combine(directory, TrafficSnapshot.FileName);

    public static void Write(string directory, TrafficSnapshot stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        Directory.CreateDirectory(directory);
        JsonStateFile.Write(PathIn(directory), stats, TrafficJsonContext.Default.TrafficSnapshot, durable: false);
    }

    /// <summary>
    /// The stats in <paramref name="directory"/>, or null when the file is missing or unreadable; read here rather than
    /// with <see cref="JsonStateFile.Read"/>, because a corrupt or unreadable file is reported (<paramref name="error"/>).
    /// </summary>
    public static TrafficSnapshot? TryRead(string directory, out string? error)
    {
        error = null;
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(PathIn(directory)), TrafficJsonContext.Default.TrafficSnapshot);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException ex)
        {
            error = $"invalid JSON in {PathIn(directory)} at {ex.Path ?? "$"} (line {ex.LineNumber + 1})";
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = $"cannot read {PathIn(directory)}: {ex.Message}";
            return null;
        }
    }
}
