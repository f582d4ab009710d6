using System.Text.Json;

namespace GradientNode.Daemon.Cli;

/// <summary>Prints an API error answer (<c>error</c>, and each of <c>errors</c>) to stderr; returns <see cref="ExitCodes.Failed"/>.</summary>
internal static class ApiErrorPrinter
{
    public static int Print(TextWriter error, string body)
    {
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            using var json = JsonDocument.Parse(body);
            error.WriteLine($"error: {json.RootElement.GetProperty("error").GetString()}");
            if (json.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                foreach (var problem in errors.EnumerateArray())
                {
                    error.WriteLine(problem.GetString());
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            error.WriteLine($"error: {body.Trim()}");
        }

        return ExitCodes.Failed;
    }
}
