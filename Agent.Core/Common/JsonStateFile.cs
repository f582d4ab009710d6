using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace GradientNode.Core.Common;

/// <summary>
/// A small JSON file of the node's own state (<c>node-stops.json</c>, <c>autoscale.json</c>, a secret snapshot, …):
/// <see cref="Read"/> reads it as "nothing saved" when it is missing, unreadable or corrupt, for a cache the node
/// rebuilds at once (a secret snapshot); files it would do without until they are written again are loaded through
/// <see cref="StateFileDamage"/>, which keeps a damaged one aside and names it; written with <see cref="AtomicFile"/> (0600, atomic replace, flushed to disk unless told otherwise). Stores
/// whose file is a contract with another process and that must say what is wrong with it (the route table, the proxy's
/// traffic figures) read it themselves.
/// </summary>
public static class JsonStateFile
{
    /// <summary>
    /// The file's content; null when it is missing, cannot be read (an I/O error, no permission) or is not valid JSON
    /// for <typeparamref name="T"/> (a corrupt file is ignored, not repaired: the next write replaces it).
    /// </summary>
    public static T? Read<T>(string path, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), type);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Replaces the file with <paramref name="value"/> (0600); throws what <see cref="AtomicFile.Write"/> throws.</summary>
    /// <param name="durable">False for runtime files that mean nothing after a power loss (still atomic, no fsync).</param>
    public static void Write<T>(string path, T value, JsonTypeInfo<T> type, bool durable = true) =>
        AtomicFile.Write(path, JsonSerializer.SerializeToUtf8Bytes(value, type), AtomicFile.OwnerOnly, durable);

    /// <summary>
    /// <see cref="Write"/> for state the node keeps in memory anyway: a full disk or a permission error must not stop
    /// it. Returns the error (the file keeps its old content), or null when the file was written.
    /// </summary>
    public static Exception? TryWrite<T>(string path, T value, JsonTypeInfo<T> type)
    {
        try
        {
            Write(path, value, type);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ex;
        }
    }
}
