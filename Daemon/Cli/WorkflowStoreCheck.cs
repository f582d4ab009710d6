using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Daemon.Api;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// <c>validate FILE</c> on a workflow, when a daemon answers: what a run of it would be refused for now (a secret the
/// node lacks, a dataset, version or tag an input names that it does not have, a registry connection) and warned of (a
/// dataset output named like an existing dataset in another case), asked of <c>POST /v1/workflows/NAME/check</c> with
/// the file's defaults for inputs, each line a warning at its <c>file:line:col</c>. Before, <c>validate</c> checked a
/// workflow's syntax only and the same file was then refused at submit.
/// </summary>
internal static partial class WorkflowStoreCheck
{
    /// <summary>What a run would be refused for, said as a warning: a secret may be set, a dataset uploaded, before the run.</summary>
    public const string RefusedUntil = "workflows run refuses the run until then";

    /// <summary>The lines to print; null when no daemon answers or it cannot check (nothing is said then, as for a deployment).</summary>
    public static async Task<IReadOnlyList<string>?> TryAsync(ApiClient api, string file, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        var stem = Path.GetFileNameWithoutExtension(file);
        var name = WorkflowNameRule.IsValid(stem) ? stem : "validate";
        var body = JsonSerializer.Serialize(new WorkflowRunRequest(text, null, file), ApiJsonContext.Default.WorkflowRunRequest);
        try
        {
            using var response = await api.SendAsync(HttpMethod.Post, $"v1/workflows/{Uri.EscapeDataString(name)}/check", new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
            if (!response.IsSuccessStatusCode
                || JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(cancellationToken), ApiJsonContext.Default.WorkflowCheck) is not { } check)
            {
                return null;
            }

            return [.. check.Problems.Select(p => AsWarning(file, p)), .. check.Warnings];
        }
        catch (Exception ex) when (ex is DaemonUnreachableException or JsonException or HttpRequestException or IOException
            || (ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary><c>file:line:col: warning: PROBLEM; workflows run refuses the run until then</c> (the file alone when the problem has no position).</summary>
    public static string AsWarning(string file, string problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var at = Positioned().Match(problem);
        return at.Success
            ? $"{at.Groups["at"].Value}: warning: {at.Groups["rest"].Value}; {RefusedUntil}"
            : $"{file}: warning: {problem}; {RefusedUntil}";
    }

    [GeneratedRegex(@"^(?<at>[^\n]+?:[0-9]+:[0-9]+): (?<rest>.*)\z", RegexOptions.Singleline | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Positioned();
}
