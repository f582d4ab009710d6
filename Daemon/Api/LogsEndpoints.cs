using System.Globalization;
using System.Text;
using System.Threading.Channels;
using GradientNode.Core.Catalog;
using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Routing;
using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;
using GradientNode.Daemon.Security;
using Microsoft.AspNetCore.Mvc;

namespace GradientNode.Daemon.Api;

/// <summary>
/// <c>GET /v1/deployments/{name}/logs?tail=N&amp;follow=true&amp;replica=I&amp;since=UNIX&amp;timestamps=true</c>: the
/// replicas' output as text, one line per log line (<c>since</c>: only lines from that time on, Unix seconds with a
/// fraction, as a client that lost its stream asks again; <c>timestamps</c>: each line starts with the engine's time of it,
/// <see cref="LogTimestamp"/>; <c>fullTags</c>: every container's tag is <c>[I SUFFIX] </c>, the same in every stream). With several containers, or with follow (it may take in more), each line starts with its
/// container's tag, <c>[I] </c> or <c>[I SUFFIX] </c> (<see cref="LogTags"/>); with follow the answer streams until the
/// client goes away. The deployment's secret values are masked (<see cref="LogMask"/>); every secret's, when it has no spec left.
/// With follow the answer follows the deployment, not only the containers there were when it began: a replica the
/// node restarts after a crash, replaces in a rollout or adds in a scale-up is a new container, and its lines join
/// the stream (<see cref="LogFollow"/>). Before, the stream ended (and <c>logs -f</c> exited 0) once the containers
/// of its start had exited, the moment a crash-looping replica's next run was the one to watch.
/// </summary>
internal static class LogsEndpoints
{
    /// <summary>The note for a followed container whose log ended (<see cref="ReplicaStopNote"/>), null for none.</summary>
    internal delegate Task<string?> StopNote(ContainerSummary container, CancellationToken cancellationToken);

    public static void Map(IEndpointRouteBuilder api) => api.MapGet("/v1/deployments/{name}/logs", StreamAsync);

    private static Task StreamAsync(
        string name, HttpContext context, IContainerEngine engine, ReconcilerOptions options, SpecDirectoryWatcher specs, SecretSnapshots secrets, LogFollowLimit followLimit, TimeProvider time,
        [FromServices] NodeStopStore? stops, [FromServices] ReplicaJournal? journal) =>
        StreamingAnswer.RunAsync(context, token => AnswerAsync(name, context, engine, options, specs, secrets, followLimit, time, (c, ct) => ReplicaStopNote.OfAsync(engine, stops, journal, DeploymentName.ToSlug(name), c, ct), token));

    private static async Task AnswerAsync(string name, HttpContext context, IContainerEngine engine, ReconcilerOptions options, SpecDirectoryWatcher specs, SecretSnapshots secrets, LogFollowLimit followLimit, TimeProvider time, StopNote stopped, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var slug = DeploymentName.ToSlug(name);
        if (!TailQuery.TryRead(query, out var tail, out var malformed))
        {
            await TailQuery.RefuseAsync(context, malformed, cancellationToken);
            return;
        }

        int? replica = int.TryParse(query["replica"], NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : null;
        var follow = QueryFlag.IsSet(query, "follow");
        var timestamps = QueryFlag.IsSet(query, "timestamps");
        var fullTags = QueryFlag.IsSet(query, "fullTags");
        DateTimeOffset? since = decimal.TryParse(query["since"], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var unix) && unix <= 253402300799m
            ? DateTimeOffset.UnixEpoch.AddTicks((long)(unix * TimeSpan.TicksPerSecond))
            : null;

        var containers = await ListAsync(engine, options, slug, replica, cancellationToken);
        // Followed, a deployment that runs none on purpose is waited for (its lines show once it is scaled up or enabled),
        // saying so at once: before, -f of one scaled to 0 got only the 404 below (or, while its replicas were still being
        // removed, their last lines and then silence), and a scale-up had to be caught by hand.
        var waiting = follow && specs.Entries.TryGetValue(slug, out var off) ? WaitingNote(name, off) : null;
        if (containers.Count == 0 && waiting is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "text/plain; charset=utf-8";
            // A name the node does not know says so, as get and delete do (before: "has no replicas", as if it existed).
            await context.Response.WriteAsync(
                !specs.Entries.TryGetValue(slug, out var known) ? UnknownName.Deployment(name, specs.Entries.Keys) + "\n"
                : replica is null ? NoReplicas(name, known) + "\n"
                : NoSuchReplica(name, replica.Value, await ListAsync(engine, options, slug, null, cancellationToken), known) + "\n",
                cancellationToken);
            return;
        }

        // Followed, a container not started yet is left to LogFollow, which takes it once it runs.
        var started = follow ? containers.Where(c => c.State != "created").ToList() : containers;
        // Each followed container's log holds one of the node's --max-log-follows places (the engine's inotify instance).
        // They are counted per caller (the socket peer's uid): a member takes at most its share, and never root's reserve.
        var caller = ApiCaller.Uid(context);
        var refusal = string.Empty;
        var leases = follow ? followLimit.TryTake(caller, started.Count, out refusal) : null;
        if (follow && leases is null)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(refusal + "\n", cancellationToken);
            return;
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        // Before, a followed one-replica deployment had no tags: a rollout's or a crash restart's lines were not told apart.
        var tags = LogTags.For(follow, containers.Count, fullTags);
        // A deployment deleted while its replicas still stop has no spec left to name its secrets: every secret's value
        // is hidden then (before, none was, and `logs` served what such a replica printed of its secrets).
        var mask = specs.Entries.TryGetValue(slug, out var entry) && entry.Spec is { } spec ? secrets.MaskFor(spec) : secrets.MaskForAll();
        var lines = Channel.CreateBounded<string>(new BoundedChannelOptions(1024) { SingleReader = true });
        if (waiting is not null)
        {
            lines.Writer.TryWrite(waiting); // first, before any reader's line
        }

        // Followed, every container is read at once (lines interleave as they come); read to its end, one container after
        // another in the listed order, so each container's lines stay together (before, they interleaved there too, in
        // whatever order the engine's streams happened to answer: `logs web` printed [1] [0] [2] one call, [2] [0] [1] the next).
        var readers = follow
            ? started.Select((c, i) => PumpAsync(engine, c, new LogOptions(tail, follow, Timestamps: timestamps, Since: since), tags, mask, lines.Writer, leases?[i], cancellationToken, stopped)).ToList()
            : [];
        var waitNoted = 0;
        var done = follow
            ? new LogFollow(
                    token => ListAsync(engine, options, slug, replica, token),
                    () => specs.Entries.ContainsKey(slug),
                    (c, token) => followLimit.TryTake(caller, 1, out var noRoom) is [var lease]
                        ? PumpAsync(engine, c, new LogOptions(Follow: true, Timestamps: timestamps, Since: since), tags, mask, lines.Writer, lease, token, stopped)
                        : NoteNoRoomAsync(c, noRoom),
                    time)
                .RunAsync(started, readers, cancellationToken)
            : ReadInOrderAsync(engine, started, new LogOptions(tail, Timestamps: timestamps, Since: since), tags, mask, lines.Writer, cancellationToken);
        _ = done.ContinueWith(_ => lines.Writer.TryComplete(), TaskScheduler.Default);

        // A container that joins while the node follows --max-log-follows logs is taken at a later listing, once a place
        // frees; the stream says so once (its lines are not lost: the reader starts from the container's first line).
        Task? NoteNoRoomAsync(ContainerSummary container, string why)
        {
            if (Interlocked.Exchange(ref waitNoted, 1) == 0)
            {
                lines.Writer.TryWrite($"{tags.Of(container)}(waiting to follow {container.Name}: {why})");
            }

            return null;
        }

        await context.Response.StartAsync(cancellationToken);
        // The headers go now, not with the first line: a follow of a quiet log is answered (200, or 503 past the limit) at once.
        await context.Response.Body.FlushAsync(cancellationToken);
        var buffer = new StringBuilder();
        try
        {
            await foreach (var line in lines.Reader.ReadAllAsync(cancellationToken))
            {
                buffer.Append(line).Append('\n');
                if (lines.Reader.Count == 0 || buffer.Length > 16 * 1024)
                {
                    await context.Response.WriteAsync(buffer.ToString(), cancellationToken);
                    await context.Response.Body.FlushAsync(cancellationToken);
                    buffer.Clear();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away (Ctrl-C on logs -f), or the daemon is stopping: then the client is told its stream was cut.
            StreamingAnswer.Cut(context);
        }
    }

    private static async Task<IReadOnlyList<ContainerSummary>> ListAsync(IContainerEngine engine, ReconcilerOptions options, string slug, int? replica, CancellationToken cancellationToken) =>
        InOrder((await engine.ListContainersAsync([$"{ContainerLabels.Node}={options.NodeName}", $"{ContainerLabels.Deployment}={slug}"], cancellationToken))
            .Where(c => replica is null || c.Labels.GetValueOrDefault(ContainerLabels.Replica) == replica.Value.ToString(CultureInfo.InvariantCulture)));

    /// <summary>
    /// The 404 text for a known deployment without containers, with why when its spec says (newuser12: a disabled one, one
    /// scaled to 0 and one whose file never parsed all said only "has no replicas", as if something were wrong); else where
    /// to look (a pull that failed, replicas waiting for GPUs).
    /// </summary>
    internal static string NoReplicas(string name, CatalogEntry entry) => $"deployment '{name}' has no replicas on this node: {WhyNone(entry)}";

    /// <summary>
    /// The 404 text for <c>--replica N</c> that names no container: the replicas there are (<paramref name="all"/>, in
    /// order), or why there are none (mends17: before, only "has no replica 5", where other "no such" errors name the choices).
    /// </summary>
    internal static string NoSuchReplica(string name, int replica, IReadOnlyList<ContainerSummary> all, CatalogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(entry);
        var indexes = all.Select(c => c.Labels.GetValueOrDefault(ContainerLabels.Replica)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return indexes.Count == 0
            ? $"deployment '{name}' has no replica {replica}, nor any other on this node: {WhyNone(entry)}"
            : $"deployment '{name}' has no replica {replica}; {(indexes.Count == 1 ? "its replica is" : "its replicas are")} {string.Join(", ", indexes)} "
                + $"(gradient-node logs {entry.Slug} --replica {indexes[0]}, or without --replica for all of them)";
    }

    /// <summary>
    /// The note a followed stream of a deployment that runs no replica on purpose begins with, in the words of the
    /// proxy's 503 (<see cref="OffReason"/>): <c>(deployment 'NAME' is scaled to 0 (resources.replicas: 0): waiting for a
    /// replica)</c>, or <c>is disabled (enabled: false)</c>; null for any other (it has no replicas for a reason to look at).
    /// </summary>
    internal static string? WaitingNote(string name, CatalogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var why = entry.Spec switch
        {
            { Enabled: false } => $"{OffReason.Disabled} (enabled: false)",
            { Resources: { Replicas: 0, Autoscaling: null or { Enabled: false } } } => OffReason.ScaledToZero,
            _ => null,
        };
        return why is null ? null : $"(deployment '{name}' {why}: waiting for a replica)";
    }

    private static string WhyNone(CatalogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Spec switch
        {
            null => $"its spec file has errors and no version of it has run (gradient-node get {entry.Slug} lists them)",
            { Enabled: false } => "it is disabled (enabled: false)",
            { Resources: { Replicas: 0, Autoscaling: null or { Enabled: false } } } => "it is scaled to 0 (resources.replicas: 0)",
            _ => $"gradient-node get {entry.Slug} says why",
        };
    }

    /// <summary>By replica index as a number (2 before 10; before, as text: 10 before 2), then oldest first.</summary>
    internal static IReadOnlyList<ContainerSummary> InOrder(IEnumerable<ContainerSummary> containers) =>
        containers
            .OrderBy(c => int.TryParse(c.Labels.GetValueOrDefault(ContainerLabels.Replica), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : int.MaxValue)
            .ThenBy(c => c.Created)
            .ToList();

    /// <summary>Each container's log to its end, one container after another in the order given.</summary>
    internal static async Task ReadInOrderAsync(IContainerEngine engine, IReadOnlyList<ContainerSummary> containers, LogOptions options, LogTags tags, LogMask mask, ChannelWriter<string> writer, CancellationToken cancellationToken)
    {
        foreach (var container in containers)
        {
            await PumpAsync(engine, container, options, tags, mask, writer, lease: null, cancellationToken);
        }
    }

    /// <summary>
    /// One container's log into the stream. Followed (<paramref name="stopped"/> given), a log that ends while the stream goes
    /// on is a replica that stopped: the stream says which and why (<see cref="ReplicaStopNote"/>), and follows the others.
    /// </summary>
    private static async Task PumpAsync(IContainerEngine engine, ContainerSummary container, LogOptions options, LogTags tags, LogMask mask, ChannelWriter<string> writer, LogFollowLease? lease, CancellationToken cancellationToken, StopNote? stopped = null)
    {
        using var place = lease;
        var tag = tags.Of(container);
        try
        {
            await foreach (var line in engine.GetLogsAsync(container.Id, options, cancellationToken))
            {
                var text = tag + mask.Apply(line.Text);
                await writer.WriteAsync(options.Timestamps && line.Timestamp is { } at ? $"{LogTimestamp.Of(at)} {text}" : text, cancellationToken);
            }

            if (stopped is not null && await stopped(container, cancellationToken) is { } note)
            {
                await writer.WriteAsync(tag + note, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is EngineException or IOException)
        {
            await writer.WriteAsync($"{tag}(logs of {container.Name} ended: {ex.Message})", CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            // Done.
        }
    }
}
