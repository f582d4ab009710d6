using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// An API answer printed for a person: indented, with <c>'</c>, <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>, <c>+</c> and
/// non-ASCII text as themselves. The API's serializer escapes them (<c>no dataset \u0027src\u0027</c>), which is valid
/// JSON but unreadable in a run's messages.
/// </summary>
internal static class ReadableJson
{
    private static readonly JsonWriterOptions Relaxed = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Of(string json)
    {
        using var document = JsonDocument.Parse(json);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Relaxed))
        {
            document.RootElement.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
