using System.Globalization;
using GradientNode.Core.Catalog;
using GradientNode.Core.Reconciliation;
using GradientNode.Daemon.Cli;
using GradientNode.Daemon.Configuration;
using GradientNode.Daemon.Security;

namespace GradientNode.Daemon.Hosting;

/// <summary>
/// SIGHUP (<c>systemctl reload gradient-node</c>): scans the spec directory now and re-reads node.yaml. Of the node
/// settings only the socket group applies live (set again on every reload, so a group created after the start takes
/// effect); any other change is logged as needing a restart, at every reload while node.yaml differs from what runs
/// (<see cref="ReloadState"/>, which <c>gradient-node node</c> lists too).
/// </summary>
internal sealed partial class DaemonReloader(IServiceProvider services, NodeOptions started, Func<NodeOptions>? reload, SystemdNotifications notifier, Func<string> summary)
{
    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly ILogger _logger = services.GetRequiredService<ILogger<DaemonReloader>>();
    private readonly ReloadState _state = services.GetService<ReloadState>() ?? new ReloadState(started);

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            notifier.Reloading();
            LogReloading(_logger);
            await services.GetRequiredService<SpecDirectoryWatcher>().ScanAsync(cancellationToken).ConfigureAwait(false);
            services.GetRequiredService<ReconcilerService>().EnqueueAll();
            if (reload is not null)
            {
                ApplyOptions(reload());
            }
        }
        catch (UsageException ex)
        {
            _state.Reject(ex.Message);
            LogConfigRejected(_logger, ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _state.Reject(ex.Message);
            LogConfigRejected(_logger, ex.Message);
        }
        finally
        {
            notifier.ReloadDone(summary());
            _one.Release();
        }
    }

    /// <summary>The settings that differ between two option sets, by node.yaml key.</summary>
    public static IReadOnlyList<string> Differences(NodeOptions before, NodeOptions after)
    {
        var changed = new List<string>();
        void Check(string key, string a, string b)
        {
            if (!string.Equals(a, b, StringComparison.Ordinal))
            {
                changed.Add(key);
            }
        }

        Check("specsDir", before.SpecsDir, after.SpecsDir);
        Check("stateDir", before.StateDir, after.StateDir);
        Check("runDir", before.RunDir, after.RunDir);
        Check("socket", before.Socket, after.Socket);
        Check("dockerHost", before.DockerHost ?? string.Empty, after.DockerHost ?? string.Empty);
        Check("listen", string.Join(',', before.Listen), string.Join(',', after.Listen));
        Check("domain", before.Domain, after.Domain);
        Check("nodeName", before.NodeName, after.NodeName);
        Check("labels", Flatten(before.Labels), Flatten(after.Labels));
        Check("readyWaitSeconds", before.ReadyWait.ToString(), after.ReadyWait.ToString());
        Check("socketGroup", before.SocketGroup, after.SocketGroup);
        Check("tlsCert", before.TlsCert ?? string.Empty, after.TlsCert ?? string.Empty);
        Check("tlsKey", before.TlsKey ?? string.Empty, after.TlsKey ?? string.Empty);
        Check("tlsDir", before.TlsDir ?? string.Empty, after.TlsDir ?? string.Empty);
        Check("httpsRedirect", before.HttpsRedirect.ToString(), after.HttpsRedirect.ToString());
        Check("hsts", before.Hsts?.ToString() ?? string.Empty, after.Hsts?.ToString() ?? string.Empty);
        Check("console", $"{before.ConsoleListen?.Url}|{before.ConsoleAllowRemote}", $"{after.ConsoleListen?.Url}|{after.ConsoleAllowRemote}");

        // Every other node.yaml key too: before, a changed pidsLimit, drainTimeout, engineConcurrency, … was reloaded in
        // silence, so the operator took it for applied (DaemonReloaderTests checks every NodeConfigFile.KnownKeys entry).
        Check("autoscaleInterval", before.Autoscaler.Interval.ToString(), after.Autoscaler.Interval.ToString());
        Check("scaleDownStabilization", before.Autoscaler.ScaleDownStabilization.ToString(), after.Autoscaler.ScaleDownStabilization.ToString());
        Check("drainTimeout", before.DrainTimeout.ToString(), after.DrainTimeout.ToString());
        Check("progressDeadline", before.ProgressDeadline.ToString(), after.ProgressDeadline.ToString());
        Check("machineTypes", MachineTypesText(before), MachineTypesText(after));
        Check("gpuModelMustMatch", before.MachineTypes.GpuModelMustMatch.ToString(), after.MachineTypes.GpuModelMustMatch.ToString());
        Check("maxHeldRequests", Text(before.MaxHeldRequests), Text(after.MaxHeldRequests));
        Check("maxConnectionsPerAddress", Text(before.MaxConnectionsPerAddress), Text(after.MaxConnectionsPerAddress));
        Check("maxReplicas", Text(before.MaxReplicas), Text(after.MaxReplicas));
        Check("pidsLimit", Text(before.PidsLimit), Text(after.PidsLimit));
        Check("containersCgroup", before.ContainersCgroup, after.ContainersCgroup);
        Check("engineConcurrency", Text(before.EngineConcurrency), Text(after.EngineConcurrency));
        Check("logMaxSize", before.LogMaxSize, after.LogMaxSize);
        Check("logMaxFiles", Text(before.LogMaxFiles), Text(after.LogMaxFiles));
        Check("gitLocalRoots", string.Join(',', before.GitLocalRoots), string.Join(',', after.GitLocalRoots));
        Check("modelUploadLimit", before.ModelUploadLimit.ToString(CultureInfo.InvariantCulture), after.ModelUploadLimit.ToString(CultureInfo.InvariantCulture));
        Check("pullStallTimeout", before.PullStallTimeout.ToString(), after.PullStallTimeout.ToString());
        Check("datasetKeep", Text(before.DatasetKeep), Text(after.DatasetKeep));
        Check("datasetMaxEntries", Text(before.DatasetMaxEntries), Text(after.DatasetMaxEntries));
        Check("workflowJobLimit", Text(before.WorkflowJobLimit), Text(after.WorkflowJobLimit));
        Check("workflowJobMemory", before.WorkflowJobMemory.ToString(CultureInfo.InvariantCulture), after.WorkflowJobMemory.ToString(CultureInfo.InvariantCulture));
        Check("workflowRunsKept", Text(before.WorkflowRunsKept), Text(after.WorkflowRunsKept));
        Check("replicaNetwork", before.ReplicaNetwork, after.ReplicaNetwork);
        Check("apiMaxConnections", Text(before.ApiMaxConnections), Text(after.ApiMaxConnections));
        Check("maxLogFollows", Text(before.MaxLogFollows), Text(after.MaxLogFollows));
        return changed;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string MachineTypesText(NodeOptions options) => string.Join(';', options.MachineTypes.All.Select(t => t.ToString()));

    private static string Flatten(IReadOnlyDictionary<string, string> labels) =>
        string.Join(',', labels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    private void ApplyOptions(NodeOptions next)
    {
        // Compared with what runs (the socket served, the settings the node started with), never with the file read
        // at the reload before.
        var differences = _state.Take(next);
        var socket = _state.Running.Socket;
        if (!differences.Contains("socketGroup"))
        {
            // The same group, set again: one created since the socket was made (the start logged that it did not exist)
            // takes effect on a reload, as the CLI's permission message says. Before, only a changed name did.
            SocketGate.Secure(socket, next.SocketGroup, new UnixAccounts(), _logger);
        }

        foreach (var key in differences)
        {
            if (key == "socketGroup")
            {
                services.GetRequiredService<SocketAccessPolicy>().GroupName = next.SocketGroup;
                SocketGate.Secure(socket, next.SocketGroup, new UnixAccounts(), _logger);
                LogApplied(_logger, key);
            }
            else
            {
                LogNeedsRestart(_logger, key);
            }
        }
    }

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "SIGHUP: re-reading specs and node settings")]
    private static partial void LogReloading(ILogger logger);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "node setting {Key} changed: applied")]
    private static partial void LogApplied(ILogger logger, string key);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "node setting {Key} changed: needs a restart (systemctl restart gradient-node)")]
    private static partial void LogNeedsRestart(ILogger logger, string key);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "SIGHUP: node settings not reloaded, keeping the running ones: {Error}")]
    private static partial void LogConfigRejected(ILogger logger, string error);
}
