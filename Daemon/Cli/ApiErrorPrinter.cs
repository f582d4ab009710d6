using System.Text.Json;

namespace GradientNode.Daemon.Cli;

/// <summary>Prints an API error answer (<c>error</c>, and each of <c>errors</c>) to stderr; returns <see cref="ExitCodes.Failed"/>.</summary>
internal static class ApiErrorPrinter
{
    public static int Print(TextWriter error, string body) => Print(error, body, []);

    /// <summary>
    /// As <see cref="Print(TextWriter, string)"/>; a line that starts with a sent file name and a colon names the file as
    /// the user typed it instead (the client sends only base names: <c>train.yaml:3:5</c> becomes <c>wf/train.yaml:3:5</c>).
    /// </summary>
    public static int Print(TextWriter error, string body, IReadOnlyList<(string Sent, string Typed)> files)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(files);
        try
        {
            using var json = JsonDocument.Parse(body);
            error.WriteLine($"error: {AsTyped(json.RootElement.GetProperty("error").GetString() ?? string.Empty, files)}");
            if (json.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                foreach (var problem in errors.EnumerateArray())
                {
                    error.WriteLine(AsTyped(problem.GetString() ?? string.Empty, files));
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            error.WriteLine($"error: {body.Trim()}");
        }

        return ExitCodes.Failed;
    }

    private static string AsTyped(string line, IReadOnlyList<(string Sent, string Typed)> files)
    {
        foreach (var (sent, typed) in files)
        {
            if (sent != typed && line.StartsWith(sent + ":", StringComparison.Ordinal))
            {
                return typed + line[sent.Length..];
            }
        }

        return line;
    }
}
