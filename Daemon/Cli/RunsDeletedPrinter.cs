using System.Globalization;
using System.Text.Json;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// <c>workflows delete NAME --all</c>: the runs deleted on stdout, each run left (it has not ended) as an error line on
/// stderr with what to do; exit 0 when every run went, 1 when one was left (as <c>workflows delete NAME RUN</c> of it).
/// </summary>
internal static class RunsDeletedPrinter
{
    public static int Print(string body, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var workflow = root.GetProperty("workflow").GetString();
        var deleted = root.GetProperty("deleted").EnumerateArray().Select(r => r.GetInt32()).ToList();
        var left = root.TryGetProperty("notEnded", out var notEnded) ? notEnded.EnumerateArray().ToList() : [];
        output.WriteLine(deleted.Count switch
        {
            0 => $"workflow '{workflow}': no ended run to delete",
            1 => $"workflow '{workflow}': deleted 1 ended run: {deleted[0].ToString(CultureInfo.InvariantCulture)}",
            _ => $"workflow '{workflow}': deleted {deleted.Count.ToString(CultureInfo.InvariantCulture)} ended runs: {string.Join(", ", deleted.Select(r => r.ToString(CultureInfo.InvariantCulture)))}",
        });
        foreach (var run in left)
        {
            error.WriteLine($"error: {run.GetProperty("message").GetString()}");
        }

        return left.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
