using System.Globalization;
using GradientNode.Core.Status;

namespace GradientNode.Daemon.Cli.Wait;

/// <summary>What the progress display says about one status snapshot: state, image pull, volume downloads, each replica, the endpoint. Pure.</summary>
internal static class ProgressFacts
{
    public static IReadOnlyList<ProgressFact> From(DeploymentStatus status, RolloutTarget target)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(target);
        var facts = new List<ProgressFact>();
        // Before the daemon picked the change up, its status is the state before it: never shown as current (known18).
        var picked = RolloutJudge.PickedUp(target, status);
        var state = picked ? $"{status.State}: {status.Message}" : "waiting for the daemon to pick up the new version";
        // The crash backoff's countdown changes every second: a plain view printed the state line again at every poll (a
        // crash loop followed for 10 min wrote ~600 lines); it is worth a line when the rest changes.
        facts.Add(new ProgressFact("state", state, picked && status.RestartAt is not null ? WithoutCountdown(state) : state));
        foreach (var (warning, n) in picked ? status.Warnings.Select((w, i) => (w, i)) : [])
        {
            // E.g. the registry could not be reached, so the image already on the node runs: said once, as it comes.
            var key = n == 0 ? "warning" : Invariant($"warning {n + 1}");
            facts.Add(new ProgressFact(key, warning, warning));
        }

        if (status.Pull is { } pull)
        {
            var fraction = pull.BytesTotal > 0 ? Math.Clamp((double)pull.BytesDone / pull.BytesTotal, 0, 1) : (double?)null;
            var layers = Invariant($"{pull.LayersDone}/{pull.LayersTotal} layers");
            var text = pull.BytesTotal > 0 ? $"{pull.Image} {Size(pull.BytesDone)} of {Size(pull.BytesTotal)}, {layers}" : $"{pull.Image} {layers}";
            facts.Add(new ProgressFact("pull", text, $"{pull.Image} {Step(fraction)}, {layers}", fraction));
        }

        foreach (var volume in status.Volumes)
        {
            // The spec field names the volume (integrations[weights], models[0]); its kind ("fetched") would read as done.
            var key = volume.Field;
            if (volume.State == "fetching")
            {
                var fraction = volume.BytesTotal > 0 ? Math.Clamp((double)volume.BytesDone / volume.BytesTotal, 0, 1) : (double?)null;
                var files = volume.FilesTotal > 0 ? Invariant($", {volume.FilesDone}/{volume.FilesTotal} files") : Invariant($", {volume.FilesDone} files");
                var bytes = volume.BytesTotal > 0 ? $"{Size(volume.BytesDone)} of {Size(volume.BytesTotal)}" : Size(volume.BytesDone);
                facts.Add(new ProgressFact(key, $"downloading {bytes}{files}", $"downloading {Step(fraction)}", fraction));
            }
            else
            {
                var text = volume.Message is { } message ? $"{volume.State}: {message}" : volume.State;
                facts.Add(new ProgressFact(key, text, text));
            }
        }

        // Old or new is relative to the version followed. A replica of the followed hash that the node replaces for drift
        // (created with NET_RAW by an earlier version) is old too, as RolloutJudge counts it (before, it was judged by hash
        // alone and shared its successor's line). Before the daemon picks the version up, Current is relative to the
        // version it still runs, so the hash alone decides: a rollback's replica of the followed version is not old (before,
        // it and the stuck version's replica of the same index were both "replica 0 (old)", and a plain view printed both
        // lines again at every poll, as each replaced the other's last text).
        // While nothing is wanted (scaled to 0, disabled) no replica is current: one that stops is of the version followed, not old.
        var drift = picked && status.SpecHash is not null;
        var replicas = status.Replicas.OrderBy(i => i.Index).ThenBy(i => !IsOld(i, target, drift))
            .Select(i => (Replica: i, Old: IsOld(i, target, drift), Key: IsOld(i, target, drift) ? $"replica {i.Index} (old)" : $"replica {i.Index}"))
            .ToList();
        foreach (var (replica, old, key) in replicas)
        {
            // Two replicas of one index, both old (two versions behind the one followed): each line names its version.
            var unique = replicas.Count(r => r.Key == key) <= 1 ? key
                : old ? $"replica {replica.Index} (old {Short(replica.SpecHash)})" : $"replica {replica.Index} ({replica.Container})";
            var text = ReplicaWords.Describe(replica, old);
            facts.Add(new ProgressFact(unique, text, text));
        }

        if (picked && status.ReadyReplicas > 0 && status.Endpoint is { } endpoint)
        {
            facts.Add(new ProgressFact("endpoint", endpoint, endpoint));
        }

        return facts;
    }

    /// <summary>
    /// Of a version other than the one followed, or, once the daemon picked it up (<paramref name="picked"/>), of that one
    /// but out of date (<see cref="ReplicaStatus.Current"/> false: drift).
    /// </summary>
    private static bool IsOld(ReplicaStatus replica, RolloutTarget target, bool picked) =>
        replica.SpecHash != target.SpecHash || (picked && !replica.Current);

    private static string Short(string hash) => hash.Length > 7 ? hash[..7] : hash;

    /// <summary><paramref name="state"/> without the seconds of its crash backoff: <c>…; restarting in 7s</c> → <c>…; restarting</c>.</summary>
    internal static string WithoutCountdown(string state)
    {
        ArgumentNullException.ThrowIfNull(state);
        const string Countdown = "; restarting in ";
        var at = state.LastIndexOf(Countdown, StringComparison.Ordinal);
        var seconds = at < 0 ? string.Empty : state[(at + Countdown.Length)..];
        return seconds is [.. var digits, 's'] && digits.Length > 0 && digits.All(char.IsAsciiDigit)
            ? string.Concat(state.AsSpan(0, at), "; restarting")
            : state;
    }

    /// <summary>Bytes as the display shows them: 512 B, 12.3 MB, 1.20 GB (decimal units, like the pull line of <c>get</c>).</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1_000 => Invariant($"{bytes} B"),
        < 1_000_000 => Invariant($"{bytes / 1_000.0:0.0} kB"),
        < 1_000_000_000 => Invariant($"{bytes / 1_000_000.0:0.0} MB"),
        _ => Invariant($"{bytes / 1_000_000_000.0:0.00} GB"),
    };

    private static string Step(double? fraction) => fraction is { } f ? Invariant($"{Math.Floor(f * 10) * 10:0}%") : "started";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
