using GradientNode.Core.Common;
using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Networking;

/// <summary>
/// <see cref="IHostFirewall"/> with the system's <c>iptables</c> and <c>ip6tables</c> (the tools Docker itself drives;
/// either backend, legacy or nf_tables), run by absolute path with argument lists. Checks before it inserts, under the
/// host-wide lock, so that the nodes of one host never write a rule twice.
/// </summary>
public sealed partial class IptablesFirewall(
    TimeProvider time,
    ILogger<IptablesFirewall> logger,
    Func<string, IReadOnlyList<string>, CancellationToken, Task<CommandResult>>? run = null,
    Func<string, string?>? find = null,
    Func<string, bool>? interfaceExists = null,
    string lockPath = "/run/gradient-node.firewall.lock",
    Func<bool>? hasIpv6 = null) : IHostFirewall
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    private static readonly string[] Tools = ["iptables", "ip6tables"];

    private readonly Func<string, IReadOnlyList<string>, CancellationToken, Task<CommandResult>> _run =
        run ?? ((path, arguments, ct) => HostCommand.RunAsync(path, arguments, CommandTimeout, ct));

    private readonly Func<string, string?> _find = find ?? HostCommand.Find;
    private readonly Func<string, bool> _interfaceExists = interfaceExists ?? (name => Directory.Exists(Path.Combine("/sys/class/net", name)));

    /// <summary>A kernel without IPv6 has no address to protect and no ip6tables tables: the tool is skipped there.</summary>
    private readonly Func<bool> _hasIpv6 = hasIpv6 ?? (() => Directory.Exists("/proc/sys/net/ipv6"));

    public async Task<string?> ProtectAsync(string bridge, CancellationToken cancellationToken)
    {
        if (!IptablesRules.IsInterfaceName(bridge))
        {
            return $"the replica network's bridge '{bridge}' is not an interface name the node will hand to iptables";
        }

        using var hostLock = await HostLock.AcquireAsync(lockPath, TimeSpan.FromSeconds(30), time, cancellationToken).ConfigureAwait(false);
        var failures = new List<string>();
        foreach (var tool in Tools.Where(t => t != "ip6tables" || _hasIpv6()))
        {
            if (_find(tool) is not { } path)
            {
                failures.Add($"{tool} is not installed (apt-get install iptables)");
                continue;
            }

            try
            {
                if (await EnsureRuleAsync(tool, path, bridge, cancellationToken).ConfigureAwait(false) is { } failure)
                {
                    failures.Add(failure);
                    continue;
                }

                await RemoveStaleAsync(tool, path, bridge, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The tool would not start (not executable, no memory): said, never thrown.
                failures.Add($"{tool} could not be run: {ex.Message}");
            }
        }

        return failures.Count == 0 ? null : string.Join("; ", failures);
    }

    public async Task<string?> UnprotectAsync(string bridge, CancellationToken cancellationToken)
    {
        if (!IptablesRules.IsInterfaceName(bridge))
        {
            return $"'{bridge}' is not an interface name the node hands to iptables";
        }

        using var hostLock = await HostLock.AcquireAsync(lockPath, TimeSpan.FromSeconds(30), time, cancellationToken).ConfigureAwait(false);
        var failures = new List<string>();
        foreach (var tool in Tools.Where(t => t != "ip6tables" || _hasIpv6()))
        {
            if (_find(tool) is not { } path)
            {
                continue; // no tool, no rule of ours to remove
            }

            try
            {
                var listing = await _run(path, IptablesRules.List(), cancellationToken).ConfigureAwait(false);
                if (listing.ExitCode != 0)
                {
                    failures.Add($"{tool} could not list OUTPUT: {(listing.FirstLine.Length > 0 ? listing.FirstLine : $"exit code {listing.ExitCode}")}");
                    continue;
                }

                foreach (var delete in IptablesRules.OursFor(listing.Output, bridge))
                {
                    var removed = await _run(path, delete, cancellationToken).ConfigureAwait(false);
                    if (removed.ExitCode == 0)
                    {
                        LogRuleReleased(logger, tool, bridge);
                    }
                    else
                    {
                        failures.Add($"{tool} refused to remove the rule for {bridge}: {(removed.FirstLine.Length > 0 ? removed.FirstLine : $"exit code {removed.ExitCode}")}");
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{tool} could not be run: {ex.Message}");
            }
        }

        return failures.Count == 0 ? null : string.Join("; ", failures);
    }

    private async Task<string?> EnsureRuleAsync(string tool, string path, string bridge, CancellationToken cancellationToken)
    {
        var check = await _run(path, IptablesRules.Check(bridge), cancellationToken).ConfigureAwait(false);
        if (check.ExitCode == 0)
        {
            return null;
        }

        var insert = await _run(path, IptablesRules.Insert(bridge), cancellationToken).ConfigureAwait(false);
        if (insert.ExitCode != 0)
        {
            var said = insert.FirstLine.Length > 0 ? insert.FirstLine : $"exit code {insert.ExitCode}";
            LogRuleFailed(logger, tool, bridge, said);
            return $"{tool} refused the rule for {bridge}: {said}";
        }

        LogRuleAdded(logger, tool, bridge);
        return null;
    }

    /// <summary>Our rules for bridges that are gone (an engine's network removed, a test engine stopped).</summary>
    private async Task RemoveStaleAsync(string tool, string path, string bridge, CancellationToken cancellationToken)
    {
        var listing = await _run(path, IptablesRules.List(), cancellationToken).ConfigureAwait(false);
        if (listing.ExitCode != 0)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (other, delete) in IptablesRules.Ours(listing.Output))
        {
            // A second copy of a live bridge's rule (written by an older version without the lock) goes too.
            var stale = !_interfaceExists(other) && other != bridge;
            if (!stale && seen.Add(other))
            {
                continue;
            }

            var removed = await _run(path, delete, cancellationToken).ConfigureAwait(false);
            if (removed.ExitCode == 0)
            {
                LogRuleRemoved(logger, tool, other);
            }
        }
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "{Tool}: only root may now open connections into the replicas' bridge {Bridge}")]
    private static partial void LogRuleAdded(ILogger logger, string tool, string bridge);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "{Tool} refused the rule that keeps local users off the replicas' bridge {Bridge}: {Reason}")]
    private static partial void LogRuleFailed(ILogger logger, string tool, string bridge, string reason);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "{Tool}: removed the node's rule for {Bridge}, an interface that is gone or a second copy")]
    private static partial void LogRuleRemoved(ILogger logger, string tool, string bridge);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Information, Message = "{Tool}: removed the node's rule for {Bridge}, whose network the node removed")]
    private static partial void LogRuleReleased(ILogger logger, string tool, string bridge);
}
