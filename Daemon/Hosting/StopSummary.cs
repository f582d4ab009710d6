using System.Globalization;
using GradientNode.Core.Status;
using GradientNode.Core.Workflows.Execution;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace GradientNode.Daemon.Hosting;

/// <summary>
/// The last line of a role with a daemon that stopped as asked (Ctrl-C, SIGTERM): what it leaves running and who picks it
/// up. Before, `up` ended on "Proxy stopping" and a user who pressed Ctrl-C during a training run could not tell whether
/// the job had been killed (it runs on, and the next start adopts it).
/// </summary>
internal static class StopSummary
{
    /// <summary>The replicas and unfinished workflow runs the daemon knew of, read before its services are disposed.</summary>
    public static (int Replicas, int Runs) Left(WebApplication daemon)
    {
        var replicas = daemon.Services.GetService<StatusStore>()?.All.Sum(s => s.Replicas.Count(r => r.State == "running")) ?? 0;
        int runs;
        try
        {
            runs = daemon.Services.GetService<WorkflowService>()?.Store.Unfinished().Count ?? 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            runs = 0; // the state directory cannot be read: the line says what it knows
        }

        return (replicas, runs);
    }

    /// <summary><c>gradient-node up: stopped; 2 replicas and 1 unfinished workflow run keep running …</c>, or <c>stopped</c> when nothing does.</summary>
    public static string Line(string role, string nodeName, int replicas, int runs)
    {
        var left = new List<string>();
        if (replicas > 0)
        {
            left.Add(Count(replicas, "replica"));
        }

        if (runs > 0)
        {
            left.Add(Count(runs, "unfinished workflow run"));
        }

        return left.Count == 0
            ? $"gradient-node {role}: stopped"
            : $"gradient-node {role}: stopped; {string.Join(" and ", left)} {(replicas + runs == 1 ? "keeps" : "keep")} running in the engine, and the next start of node '{nodeName}' adopts {(replicas + runs == 1 ? "it" : "them")} (stopping the node never stops them; gradient-node delete and workflows cancel do)";
    }

    private static string Count(int n, string noun) => string.Create(CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? string.Empty : "s")}");
}
