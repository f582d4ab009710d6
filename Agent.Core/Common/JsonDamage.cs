using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace GradientNode.Core.Common;

/// <summary>
/// What is wrong with the bytes of a JSON state file, in words that never quote its content (a registry connection or a
/// secret snapshot holds secrets): empty, cut short, not JSON at a line and byte, or JSON of another shape at a JSON path.
/// Nor its length: the size of a file cut short inside a password says how long the password is.
/// </summary>
public static class JsonDamage
{
    /// <summary>Null and <paramref name="value"/> set when <paramref name="bytes"/> are a <typeparamref name="T"/>; else why not.</summary>
    public static string? Problem<T>(byte[] bytes, JsonTypeInfo<T> type, out T? value)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(bytes);
        value = null;
        if (Syntax(bytes) is { } syntax)
        {
            return syntax;
        }

        try
        {
            value = JsonSerializer.Deserialize(bytes, type);
        }
        catch (JsonException ex)
        {
            return $"it is JSON, but not of the expected shape (at {ex.Path ?? "$"})";
        }

        return value is null ? "it holds JSON null instead of the saved state" : null;
    }

    /// <summary>Null when <paramref name="bytes"/> are one JSON value; else why not (empty, cut short, or where the syntax breaks).</summary>
    public static string? Syntax(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0)
        {
            return "it is empty (0 bytes)";
        }

        // Read as if more could follow: running out of bytes inside a value is a file cut short, not a syntax error.
        var partial = new Utf8JsonReader(bytes, isFinalBlock: false, state: default);
        try
        {
            while (partial.Read())
            {
            }
        }
        catch (JsonException ex)
        {
            return At(ex);
        }

        if (partial.TokenType == JsonTokenType.None && bytes.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            return "it holds no JSON value (only white space)";
        }

        // No syntax error in what is there, yet not a whole value at the end of the bytes: cut short.
        var whole = new Utf8JsonReader(bytes, isFinalBlock: true, state: default);
        try
        {
            while (whole.Read())
            {
            }
        }
        catch (JsonException)
        {
            return "it ends early (cut short: a write that did not finish, or a full disk)";
        }

        return null;
    }

    /// <summary>The position only: the exception's message can quote a character of the content.</summary>
    private static string At(JsonException ex) =>
        $"it is not valid JSON at line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}";
}
