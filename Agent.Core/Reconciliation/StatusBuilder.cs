using GradientNode.Core.Catalog;
using GradientNode.Core.Common;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;

namespace GradientNode.Core.Reconciliation;

/// <summary>Derives a <see cref="DeploymentStatus"/> from the catalog entry, the desired replicas and what Docker has. Pure.</summary>
public static partial class StatusBuilder
{
    public sealed record Input(
        string Slug,
        CatalogEntry? Entry,
        DesiredReplicas Desired,
        IReadOnlyList<ObservedReplica> Observed,
        string? Error,
        DateTimeOffset? BackoffUntil,
        IReadOnlyList<string> NotActedOn,
        string Endpoint,
        DateTimeOffset Now)
    {
        public ReplicaJournal? Journal { get; init; }

        public RolloutStatus? Rollout { get; init; }

        /// <summary>Why a replica was not created: no free GPUs for its machine type. Progressing/Degraded, never Failed.</summary>
        public string? GpuWait { get; init; }

        public IReadOnlyList<VolumeStatus> Volumes { get; init; } = [];

        /// <summary>The image pull in progress; while it runs, a Progressing message says how far it got.</summary>
        public PullStatus? Pull { get; init; }

        /// <summary>Why the current version runs the image already on the node: its pull failed (<see cref="ImagePuller.WarningOf"/>).</summary>
        public string? ImageWarning { get; init; }

        /// <summary>
        /// Since when a first version has waited for its first ready replica (<see cref="FirstVersionTracker"/>): past
        /// <see cref="DesiredReplicas.ProgressDeadline"/> it is Failed, still tried.
        /// </summary>
        public DateTimeOffset? NeverReadySince { get; init; }
    }

    /// <summary>How the state message of an exited container the node stopped itself begins; the reason follows.</summary>
    public const string StoppedByTheNode = "stopped by the node: ";

    /// <summary>The state message of a replica the plan takes out of rotation to stop it (<see cref="ObservedReplica.Leaving"/>).</summary>
    public const string Draining = "out of rotation, draining before it stops";

    /// <summary>
    /// The lifecycle word of a replica for <c>history</c>: starting (startup probe pending), ready, notReady, or for a
    /// stopped container, stopped (exit 0) or failed.
    /// </summary>
    public static (string State, string? Message) Lifecycle(ObservedReplica replica)
    {
        ArgumentNullException.ThrowIfNull(replica);
        if (!replica.Running)
        {
            return replica.State == "created"
                ? ("starting", null)
                : (replica.ExitCode == 0 ? "stopped" : "failed", replica is { OomKilled: false, StoppedByNode: { } why } ? $"{StoppedByTheNode}{why}" : Exit(replica));
        }

        var probe = replica.Health;
        if (replica.RestartReason is { } reason)
        {
            return ("stopping", reason);
        }

        if (replica.Leaving)
        {
            return ("stopping", Draining);
        }

        if (replica.Paused)
        {
            return ("notReady", ReplicaObserver.Paused);
        }

        if (probe?.Health == Health.ReplicaHealth.Starting)
        {
            return ("starting", probe.Startup?.LastMessage is { } m ? $"startup probe: {m}" : "waiting for the startup probe");
        }

        if (replica.Ready)
        {
            return ("ready", null);
        }

        return probe?.HasReadinessProbe == true
            ? ("notReady", probe.Readiness?.LastMessage is { } last ? $"readiness probe: {last}" : "waiting for the readiness probe")
            : ("notReady", "the first port does not accept TCP connections yet");
    }

    public static DeploymentStatus Build(Input input)
    {
        var spec = input.Entry?.Spec;
        var port = spec?.Resources.FirstPort ?? 80;
        // The journal's reason for one the store does not know (its record could not be written): both lines agree.
        var instances = input.Observed.Select(o => o is { Running: false, StoppedByNode: null } && StoppedBecause(input, o) is { } why ? o with { StoppedByNode = why } : o)
            .Select(r => new ReplicaStatus
        {
            Id = $"{input.Slug}-{r.Index}",
            Index = r.Index,
            Container = r.ContainerName,
            ContainerId = r.ContainerId,
            State = r.State,
            Ready = r.Ready,
            Restarts = r.Restarts,
            LastExitCode = r.ExitCode,
            Address = r.IpAddress is { } ip ? $"{ip}:{r.Port ?? port}" : null,
            Gpus = r.Gpus,
            SpecHash = r.SpecHash,
            Current = r.IsCurrent(input.Desired.SpecHash),
            Drift = r.Running ? r.Drift : null,
            StateMessage = StateMessage(r) ?? LastOutOfMemory.Of(input.Journal, $"{input.Slug}-{r.Index}", r),
            Health = r.Health is { } h ? new ReplicaHealthStatus(Camel(h.Health.ToString()), h.Startup, h.Readiness, h.Liveness) : null,
            StateChangedAt = new[] { r.Created == default ? (DateTimeOffset?)null : r.Created, r.StartedAt, r.FinishedAt }.Max(),
            History = input.Journal?.History($"{input.Slug}-{r.Index}") ?? [],
            LastLogLines = input.Journal?.LastLogLines($"{input.Slug}-{r.Index}") ?? [],
        }).ToList();

        var kept = ReplicaSlots.Kept(input.Desired.Count, input.Observed).ToHashSet();
        var ready = input.Observed.Where(r => r.Ready && kept.Contains(r.Index))
            .Select(r => r.Index).Distinct().Count();
        var (state, message) = Classify(input, ready, kept);
        var errors = input.Entry?.Errors.Select(e => e.ToString()).ToList() ?? [];
        if (errors.Count > 0 && spec is not null)
        {
            message = $"spec file has {Plural(errors.Count, "error")}; the last good version keeps running. {message}";
        }

        if (input.Entry is { IgnoredFiles.IsEmpty: false } claimed)
        {
            // Shown first, so that `ls` and the API's list flag it: the other file's spec is not what runs.
            var files = string.Join(", ", claimed.IgnoredFiles);
            var rest = message.Trim().Length == 0 ? string.Empty : $"; {message}";
            message = $"name also declared in {files}, which {(claimed.IgnoredFiles.Count == 1 ? "is" : "are")} ignored{rest}";
        }

        return new DeploymentStatus
        {
            Name = spec?.Name ?? input.Entry?.Name ?? input.Slug,
            Slug = input.Slug,
            State = state,
            Message = message.Trim(),
            DesiredReplicas = input.Desired.Count,
            ReadyReplicas = ready,
            Endpoint = input.Endpoint,
            BasicAuthSecret = spec?.BasicAuthKey?.Name,
            SpecFile = input.Entry?.File,
            SpecHash = spec is null ? null : input.Desired.SpecHash is { Length: > 0 } hash ? hash : null,
            Image = spec?.Image,
            Enabled = spec is { IsDisabled: false },
            Off = OffOf(spec),
            Errors = errors,
            Conflicts = input.Entry?.Conflicts.ToList() ?? [],
            NotActedOn = input.NotActedOn,
            Replicas = instances,
            Blocked = spec is not null && input.Desired.Count > 0 ? input.Error : null,
            Rollout = input.Rollout,
            GivesUpAt = spec is null ? null : GivesUpAt(input, ready),
            ProgressDeadlineSeconds = spec is null ? null : (int)input.Desired.ProgressDeadline.TotalSeconds,
            Pull = input.Pull,
            Warnings = input.ImageWarning is { } imageWarning && spec is not null ? [imageWarning] : [],
            Volumes = input.Volumes,
            RestartAt = RestartAt(input, state, message),
            ObservedAt = input.Now,
        };
    }

    private static (DeploymentState State, string Message) Classify(Input input, int ready, HashSet<int> kept)
    {
        var entry = input.Entry;
        if (entry is { Spec: null, LastGoodProblem: { } damaged })
        {
            // Its last good copy is damaged: nothing to fall back on. Replicas of the version before are left alone, as for a never-valid file.
            var left = input.Observed.Count == 0
                ? "nothing runs until it is fixed"
                : $"{Plural(input.Observed.Count, "replica")} of the version before left as they are (not replaced, not restarted) until it is fixed";
            return (DeploymentState.Invalid, $"spec file has {Plural(entry.Errors.Count, "error")} and its last good copy is damaged ({damaged}): no last good version to keep serving; {left}");
        }

        if (entry is { Spec: null })
        {
            return (DeploymentState.Invalid, $"spec file has {Plural(entry.Errors.Count, "error")}; nothing runs until it is fixed");
        }

        var desired = input.Desired.Count;
        if (desired == 0)
        {
            return input.Observed.Count > 0
                ? (DeploymentState.Progressing, $"stopping {Plural(input.Observed.Count, "replica")} ({input.Desired.Reason})")
                : (DeploymentState.Disabled, entry is null ? "deployment removed" : input.Desired.Reason);
        }

        var current = input.Observed.Where(r => r.IsCurrent(input.Desired.SpecHash)).ToList();
        var exited = current.Where(r => !r.Running).OrderBy(r => r.Index).ToList();
        if (input.Error is { } error)
        {
            return (ready == 0 ? DeploymentState.Failed : DeploymentState.Degraded, error);
        }

        if (input.GpuWait is { } gpuWait)
        {
            return (ready == 0 ? DeploymentState.Progressing : DeploymentState.Degraded, $"{ready}/{desired} ready: {gpuWait}");
        }

        if (exited.Count > 0 || input.BackoffUntil is not null)
        {
            var first = exited.FirstOrDefault();
            var detail = first is null ? "a replica exited"
                : first.OomKilled ? $"replica {first.Index} was {Exit(first)}"
                : StoppedBecause(input, first) is { } why ? $"replica {first.Index} was stopped by the node: {why}"
                : $"replica {first.Index} {Exit(first)}";
            var wait = input.BackoffUntil is { } until ? RestartCountdown.Text(until, input.Now) : "; restarting";
            return (DeploymentState.Degraded, $"{ready}/{desired} ready: {detail}{wait}");
        }

        var unhealthy = current.FirstOrDefault(r => r.Running && !r.Ready && (r.RestartReason is not null || (r.Health is { } h
            && h.Health == Health.ReplicaHealth.NotReady && h.Readiness?.LastResult is not null and not "success")));
        if (unhealthy is not null && input.Rollout is null)
        {
            return PastDeadline(input, ready, (DeploymentState.Degraded, $"{ready}/{desired} ready: replica {unhealthy.Index}: {StateMessage(unhealthy)}"));
        }

        if (input.Rollout is { State: "Failed" } failed)
        {
            // Why it rolls at all when the spec hash did not change (healthChecks alone, a drift): before, only rollout.reason said it.
            var rollsBecause = failed.Reason is { } reason ? $"; the rollout is {reason}" : string.Empty;
            return (DeploymentState.Degraded, $"RolloutFailed: {failed.Message}{rollsBecause}");
        }

        var outdated = input.Observed.Where(r => !r.IsCurrent(input.Desired.SpecHash) || !kept.Contains(r.Index)).ToList();
        if (ready >= desired && outdated.Count == 0 && current.Count == desired)
        {
            return (DeploymentState.Ready, $"{ready}/{desired} replicas ready");
        }

        var rolling = Replacing(outdated, input.Desired.SpecHash, kept, desired);
        var pulling = input.Pull is { } pull ? $"; pulling {pull.Describe()}" : string.Empty;
        var fetching = string.Concat(input.Volumes.Where(v => v.State == "fetching").Select(v => $"; fetching {v.Describe()}"));
        var waiting = current.FirstOrDefault(r => r.Running && !r.Ready && (r.Paused || r.Health is not { HasReadinessProbe: true }) && r.NotReadyReason is not null) is { } waiter
            ? $"; replica {waiter.Index} not ready: {waiter.NotReadyReason}"
            : string.Empty;
        return PastDeadline(input, ready, (DeploymentState.Progressing, $"{ready}/{desired} replicas ready{rolling}{fetching}{pulling}{waiting}"));
    }

    private static string? StateMessage(ObservedReplica replica)
    {
        var (state, message) = Lifecycle(replica);
        var hint = HintOf(replica.Health, message);
        return state == "ready" ? null : hint is null ? message : $"{message} ({hint})";
    }

    /// <summary>
    /// The hint of the probe <paramref name="message"/> quotes, none for a message no probe wrote. Before, the readiness
    /// probe's hint followed any message: an exec liveness probe that timed out read "… timed out after 2 s (nothing
    /// listens on the probe's port; …)", the readiness probe's words about its own port.
    /// </summary>
    private static string? HintOf(Health.HealthSnapshot? health, string? message) => (health, message) switch
    {
        ({ } h, { } m) when m.StartsWith("readiness probe", StringComparison.Ordinal) => h.Readiness?.Hint,
        ({ } h, { } m) when m.StartsWith("liveness probe", StringComparison.Ordinal) => h.Liveness?.Hint,
        ({ } h, { } m) when m.StartsWith("startup probe", StringComparison.Ordinal) => h.Startup?.Hint,
        _ => null,
    };

    /// <summary>
    /// Why the node itself stopped this exited container (a liveness or startup probe past its threshold, a lost GPU): the
    /// record kept in the state dir (<see cref="ObservedReplica.StoppedByNode"/>, survives a daemon restart), else the
    /// journal's last <c>stopping</c> entry for it with a reason (a later <c>draining</c> one hid it); null when the container
    /// ended on its own. Its exit code then says nothing: an app that exits 0 on SIGTERM read as "exited with code 0".
    /// </summary>
    private static string? StoppedBecause(Input input, ObservedReplica replica)
    {
        if (replica.StoppedByNode is { } recorded)
        {
            return recorded;
        }

        var prefix = $"{replica.ContainerName}: ";
        return input.Journal?.History($"{input.Slug}-{replica.Index}")
            .Where(e => e.State == "stopping" && e.Message is { } m && m.StartsWith(prefix, StringComparison.Ordinal))
            .Select(e => e.Message![prefix.Length..])
            .LastOrDefault(reason => reason.Length > 0 && reason != Draining);
    }

    /// <summary>How a stopped container ended: <c>exited with code N</c>, or <c>killed: out of memory …</c>.</summary>
    private static string Exit(ObservedReplica replica) => replica switch
    {
        { OomKilled: true } => $"killed: out of memory (exit code {replica.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}; the container went over {(replica.MemoryLimit > 0 ? $"its memory limit of {Common.ByteSize.Describe(replica.MemoryLimit)}, " : string.Empty)}the memory of its machine type)",
        { ExitCode: { } code } => ContainerExit.Describe(code),
        _ => $"container is {replica.State}",
    };

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
