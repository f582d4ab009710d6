using GradientNode.Core.Gpus;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;

namespace GradientNode.Daemon.Cli.Diff;

/// <summary>
/// The plan in words for <c>diff</c> and <c>apply --dry-run</c>: one sentence per change, e.g. "replicas 2 → 3: start
/// replica 2", "image a:1 → a:2: roll out 2 replicas one at a time", "basicAuthKey added: endpoint becomes protected".
/// What happens to replicas comes from <see cref="PlanSimulation"/> (the reconciler's planner), not from rules of its own. Pure.
/// </summary>
internal static class PlanNarrator
{
    private const string NextVersion = "next-version";

    /// <summary>The fields that shape a container (the spec hash's inputs): a change replaces every replica.</summary>
    private static readonly string[] ContainerFields =
        ["image", "containerRegistry", "command", "env", "resources.machineType", "resources.ports", "integrations", "models", "repositories"];

    /// <summary>
    /// What a change rolls out: the container's fields and <c>healthChecks</c>, whose change rolls too (new replicas must
    /// pass the new probes before the old ones, probed with the old, are stopped; <see cref="HealthOverlay"/>).
    /// </summary>
    private static readonly string[] RolloutFields = [.. ContainerFields, "healthChecks"];

    public static IReadOnlyList<string> Sentences(PlanInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var next = input.Next;
        var after = NormalizedSpec.Of(next);
        var before = input.Running is { } running ? NormalizedSpec.Of(running) : null;
        var oldHash = input.Status?.SpecHash ?? (input.Running is null ? string.Empty : SpecHasher.Compute(input.Running));
        // A change of the probes alone is a new version too: the node rolls it out (its own label, not the spec hash).
        var sameVersion = input.Running is not null && SpecHasher.Compute(input.Running) == SpecHasher.Compute(next)
            && ProbesHasher.Compute(input.Running.HealthChecks) == ProbesHasher.Compute(next.HealthChecks);
        // Without a restart generation (the status's hash is the running spec's own), the next version's hash is the next
        // spec's own: replicas of it that still run (a rollback while a rollout is stuck) are kept, as the daemon keeps them.
        // A change of the probes alone keeps the spec hash and rolls by its own label: that stays a next version.
        var noGeneration = input.Running is not null && oldHash == SpecHasher.Compute(input.Running) && SpecHasher.Compute(next) != oldHash;
        var newHash = sameVersion ? oldHash : noGeneration ? SpecHasher.Compute(next) : NextVersion;
        var observed = (input.Status?.Replicas ?? []).Select(i => new ObservedReplica
        {
            ContainerId = i.ContainerId,
            ContainerName = i.Container,
            Index = i.Index,
            SpecHash = i.SpecHash,
            Running = i.State == "running",
            State = i.State,
            Ready = i.Ready,
            ExitCode = i.LastExitCode,
            Drift = DriftOf(i, input.Status!),
        }).ToList();
        var count = next.IsDisabled ? 0 : Count(next, input.Status);
        var desired = count == 0 ? DesiredReplicas.None(next.Enabled ? "replicas: 0" : "enabled: false") : new DesiredReplicas(count, newHash);
        var plan = PlanSimulation.Run(desired, observed, input.Now);

        var sentences = new List<string>();
        if (before is null)
        {
            sentences.Add($"new deployment '{next.Name}': {Start(plan.Started, plan.Started.Count)}");
        }
        else
        {
            var changed = Changed(before, after).ToList();
            var container = changed.Where(p => RolloutFields.Any(f => Under(p, f))).ToList();
            var back = observed.Where(r => r.Running && !sameVersion && r.IsCurrent(newHash)).Select(r => r.Index).Distinct().Order().ToList();
            if (container.Count > 0 && count > 0 && back.Count > 0)
            {
                sentences.Add($"{string.Join(", ", container.Select(p => Describe(p, before, after)))}: {Back(back, observed, newHash, plan)}");
            }
            else if (container.Count > 0 && count > 0)
            {
                var what = string.Join(", ", container.Select(p => Describe(p, before, after)));
                var action = plan.Replaced.Count == 0
                    ? Start(plan.Started, plan.Started.Count)
                    : plan.Replaced.Count == 1 ? "roll out 1 replica" : $"roll out {plan.Replaced.Count} replicas {(plan.MostReplacingAtOnce <= 1 ? "one at a time" : "at once")}";
                sentences.Add($"{what}: {action}");
            }

            var scalingSaid = AddScaling(sentences, before, after, plan);
            AddEndpoint(sentences, input.Running!, next);
            var rollingOut = container.Count > 0 && count > 0 && plan.Replaced.Count > 0;
            var quiet = count > 0 ? RolloutFields : ContainerFields;
            foreach (var path in changed.Where(p => !quiet.Any(f => Under(p, f)) && !Under(p, "resources.replicas") && !Under(p, "enabled") && !Under(p, "basicAuthKey")))
            {
                // New bounds (maxReplicas below the count that runs) start or stop replicas at once: said here when the
                // replicas line above did not say it (before, "no replica restarts" while the node stopped one).
                var actions = path == "resources.autoscaling" && !scalingSaid && !rollingOut ? ScaleActions(plan) : [];
                sentences.Add($"{Describe(path, before, after)}: {(actions.Count == 0 ? Consequence(path, rollingOut) : "the autoscaler takes the new settings: " + string.Join(", ", actions))}");
            }
        }

        AddDrift(sentences, observed, plan, sameVersion);
        if (count > 0 && (before is null || before.Values["resources.machineType"] != after.Values["resources.machineType"])
            && MachineTypeTable.BuiltIn.Find(next.Resources.MachineType) is { HasGpus: true } type)
        {
            var machine = before is null ? $"machineType {next.Resources.MachineType}" : Describe("resources.machineType", before, after);
            var waits = input.FreeGpus < type.Gpus ? "replicas will wait" : "enough are free";
            sentences.Add($"{machine}: needs {Gpus(type.Gpus)} per replica, {input.FreeGpus} free: {waits}");
        }

        return sentences.Count == 0 ? ["no change"] : sentences;
    }

    /// <summary>
    /// How many replicas the next spec runs: its <c>replicas</c>, or with autoscaling the autoscaler's count in the status
    /// held inside the next spec's bounds, as the reconciler holds it (<c>AutoscaleStore.DesiredFor</c>: a spec edit that
    /// moves the bounds applies at once). Before, the status's count was taken as it was, so raising <c>replicas</c> (the
    /// least the autoscaler runs) from 2 to 3 read "no replica changes" while the node started replica 2 (newuser14).
    /// </summary>
    private static int Count(DeploymentSpec next, DeploymentStatus? status)
    {
        var least = next.Resources.Replicas;
        return next.Resources.Autoscaling is { Enabled: true } autoscaling && status is { DesiredReplicas: > 0 } s
            ? Math.Clamp(s.DesiredReplicas, least, Math.Max(least, autoscaling.MaxReplicas))
            : least;
    }

    /// <summary>
    /// A return to a version whose replicas still run (<paramref name="back"/>): they serve on, and the other version's replicas
    /// stop. Before, this read "roll out N replicas", while the daemon starts nothing for those indexes.
    /// </summary>
    private static string Back(List<int> back, IReadOnlyList<ObservedReplica> observed, string hash, PlanSimulation plan)
    {
        var started = plan.Started.Concat(plan.Replaced).Except(back).Order().ToList();
        var starts = started.Count == 0 ? "nothing starts" : Start(started, started.Count);
        var others = observed.Where(r => r.Running && !r.IsCurrent(hash) && back.Contains(r.Index)).Select(r => r.Index).Distinct().Order().ToList();
        var stops = others.Count == 0 ? string.Empty
            : others.Count == 1 ? $"; the other version's replica {others[0]} stops" : $"; the other version's replicas {string.Join(", ", others)} stop";
        return $"{(back.Count == 1 ? "replica" : "replicas")} {string.Join(", ", back)} of that version still {(back.Count == 1 ? "runs" : "run")}: they serve on, {starts}{stops}";
    }

    private static bool AddScaling(List<string> sentences, NormalizedSpec before, NormalizedSpec after, PlanSimulation plan)
    {
        var enabled = (Before: before.Values["enabled"], After: after.Values["enabled"]);
        var replicas = (Before: before.Values["resources.replicas"], After: after.Values["resources.replicas"]);
        var what = enabled.Before != enabled.After ? $"enabled {enabled.Before} → {enabled.After}"
            : replicas.Before != replicas.After ? $"replicas {replicas.Before} → {replicas.After}"
            : null;
        if (what is null)
        {
            return false;
        }

        var actions = ScaleActions(plan);
        sentences.Add($"{what}: {(actions.Count == 0 ? "no replica changes" : string.Join(", ", actions))}");
        return true;
    }

    private static List<string> ScaleActions(PlanSimulation plan)
    {
        var actions = new List<string>();
        if (plan.Started.Count > 0)
        {
            actions.Add(Start(plan.Started, plan.Started.Count));
        }

        if (plan.Stopped.Count > 0)
        {
            actions.Add(plan.Stopped.Count == 1 ? $"stop replica {plan.Stopped[0]}" : $"stop replicas {string.Join(", ", plan.Stopped)}");
        }

        return actions;
    }

    /// <summary>
    /// Replicas of the running version that the node replaces by itself because their creation settings drifted
    /// (<see cref="ObservedReplica.Drift"/>, e.g. created with NET_RAW by an earlier version): said with the reason, apply or
    /// not. With a change of the container itself the rollout above replaces them anyway, so they are not named twice.
    /// </summary>
    private static void AddDrift(List<string> sentences, IReadOnlyList<ObservedReplica> observed, PlanSimulation plan, bool sameVersion)
    {
        if (!sameVersion)
        {
            return;
        }

        var drifted = observed.Where(r => r.Running && r.Drift is not null && plan.Replaced.Contains(r.Index)).ToList();
        foreach (var group in drifted.GroupBy(r => r.Drift!, StringComparer.Ordinal))
        {
            var indexes = group.Select(r => r.Index).Distinct().Order().ToList();
            var who = indexes.Count == 1 ? $"replica {indexes[0]}" : $"replicas {string.Join(", ", indexes)}";
            var roll = indexes.Count == 1 ? "roll out 1 replica" : $"roll out {indexes.Count} replicas {(plan.MostReplacingAtOnce <= 1 ? "one at a time" : "at once")}";
            sentences.Add($"{who} {group.Key}: the node replaces {(indexes.Count == 1 ? "it" : "them")}, apply or not ({roll})");
        }
    }

    /// <summary>
    /// Why <paramref name="replica"/> runs out of date on the running hash: the daemon's <see cref="ReplicaStatus.Drift"/>,
    /// or from a daemon before that field, the rollout's reason for a running replica of the current hash that is not current.
    /// </summary>
    private static string? DriftOf(ReplicaStatus replica, DeploymentStatus status)
    {
        if (replica.Drift is not null || replica.Current || replica.State != "running" || replica.SpecHash != status.SpecHash)
        {
            return replica.Drift;
        }

        const string replacing = "replacing replicas ";
        var reason = status.Rollout?.Reason;
        return reason is not null && reason.StartsWith(replacing, StringComparison.Ordinal) ? reason[replacing.Length..]
            : reason ?? "created with settings this version of the node replaces";
    }

    private static void AddEndpoint(List<string> sentences, DeploymentSpec running, DeploymentSpec next)
    {
        var (was, now) = (running.BasicAuthKey, next.BasicAuthKey);
        if (was == now)
        {
            return;
        }

        sentences.Add(was is null ? "basicAuthKey added: endpoint becomes protected"
            : now is null ? "basicAuthKey removed: endpoint becomes public"
            : $"basicAuthKey {was} → {now}: the endpoint checks the new secret");
    }

    private static string Start(IReadOnlyList<int> indexes, int count) => count switch
    {
        0 => "no replica starts",
        1 => $"start replica {indexes[0]}",
        _ => $"start replicas {string.Join(", ", indexes)}",
    };

    private static IEnumerable<string> Changed(NormalizedSpec before, NormalizedSpec after) =>
        before.Values.Keys.Union(after.Values.Keys)
            .Where(k => !before.Values.TryGetValue(k, out var a) || !after.Values.TryGetValue(k, out var b) || a != b)
            .Select(Collapse)
            .Distinct();

    /// <summary>A change inside a list or a nested record is named by its top field (<c>env</c>, <c>healthChecks</c>), a scalar by its path.</summary>
    private static string Collapse(string path)
    {
        var bracket = path.IndexOf('[', StringComparison.Ordinal);
        var trimmed = bracket < 0 ? path : path[..bracket];
        return trimmed.StartsWith("resources.", StringComparison.Ordinal) ? string.Join('.', trimmed.Split('.').Take(2)) : trimmed.Split('.')[0];
    }

    private static string Gpus(int count) => count == 1 ? "1 GPU" : $"{count} GPUs";

    private static bool Under(string path, string field) => path == field || path.StartsWith(field + ".", StringComparison.Ordinal);

    private static string Describe(string path, NormalizedSpec before, NormalizedSpec after)
    {
        var name = path.StartsWith("resources.", StringComparison.Ordinal) ? path["resources.".Length..] : path;
        var nested = before.Values.Keys.Concat(after.Values.Keys).Any(k => k.StartsWith(path + "[", StringComparison.Ordinal) || k.StartsWith(path + ".", StringComparison.Ordinal));
        return !nested && before.Values.TryGetValue(path, out var was) && after.Values.TryGetValue(path, out var now)
            ? $"{name} {was} → {now}"
            : $"{name} changed";
    }

    /// <summary>What a change outside the container does; with a rollout in the same apply, it needs no restart of its own
    /// (before, "no replica restarts" stood beside "roll out 2 replicas", which read as a contradiction).</summary>
    private static string Consequence(string path, bool rollingOut) => (path, rollingOut) switch
    {
        ("healthChecks", _) => "the probes change; no replica runs",
        ("resources.autoscaling", false) => "the autoscaler takes the new settings; no replica restarts",
        ("resources.autoscaling", true) => "the autoscaler takes the new settings; it restarts nothing by itself",
        (_, false) => "no replica restarts",
        (_, true) => "it restarts nothing by itself",
    };
}
