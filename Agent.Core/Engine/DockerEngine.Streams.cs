using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace GradientNode.Core.Engine;

// The streaming calls of DockerEngine: logs, exec output and events.
public sealed partial class DockerEngine
{
    public async IAsyncEnumerable<LogLine> GetLogsAsync(string id, LogOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var parameters = new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Follow = options.Follow,
            Timestamps = options.Timestamps,
            Tail = options.Tail is { } tail ? tail.ToString(CultureInfo.InvariantCulture) : "all",
            Since = options.Since is { } since ? DockerTimestamps.ToUnixQuery(since) : null,
        };

        // The library inspects the container first: its TTY flag says whether the body is multiplexed.
        using var stream = await CallAsync($"logs of container {ContainerIds.Short(id)}", c => c.Containers.GetContainerLogsAsync(id, parameters, cancellationToken), cancellationToken, containerId: id).ConfigureAwait(false);
        await foreach (var line in ReadLinesAsync(stream, options.Timestamps, $"logs of container {ContainerIds.Short(id)}", cancellationToken).ConfigureAwait(false))
        {
            yield return line;
        }
    }

    public async Task<ExecResult> ExecAsync(string id, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        var token = timer.Token;
        try
        {
            var create = new ContainerExecCreateParameters { Cmd = [.. command], AttachStdout = true, AttachStderr = true };
            var exec = await CallAsync($"exec in container {ContainerIds.Short(id)}", c => c.Exec.CreateContainerExecAsync(id, create, token), token, containerId: id).ConfigureAwait(false);
            var output = new StringBuilder();
            using (var stream = await CallAsync($"exec start in container {ContainerIds.Short(id)}", c => c.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters(), token), token).ConfigureAwait(false))
            using (token.Register(stream.Dispose))
            {
                await foreach (var line in ReadLinesAsync(stream, timestamps: false, $"exec in container {ContainerIds.Short(id)}", token).ConfigureAwait(false))
                {
                    if (output.Length < MaxExecOutputChars)
                    {
                        output.Append(line.Text).Append('\n');
                    }
                }
            }

            // The stream can end a moment before the engine records the exit code.
            while (true)
            {
                var state = await CallAsync($"exec inspect in container {ContainerIds.Short(id)}", c => c.Exec.InspectContainerExecAsync(exec.ID, token), token).ConfigureAwait(false);
                if (!state.Running && state.ExitCode is { } exitCode)
                {
                    return new ExecResult((int)exitCode, output.ToString());
                }

                await Task.Delay(ExecPollInterval, _time, token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested && ex is OperationCanceledException or ObjectDisposedException or IOException or EngineUnavailableException)
        {
            throw new TimeoutException($"exec in container {ContainerIds.Short(id)} did not finish within {timeout.TotalSeconds:0.#} s", ex);
        }
    }

    public IAsyncEnumerable<EngineEvent> WatchEventsAsync(IReadOnlyCollection<string> labelFilters, CancellationToken cancellationToken) =>
        WatchEventsAsync(labelFilters, since: null, cancellationToken);

    /// <summary>
    /// Streams container events carrying the labels until cancelled. With <paramref name="since"/> the engine first
    /// replays the events it still holds from that time (no gap between a list and a watch). The sequence ends, or
    /// throws <see cref="EngineUnavailableException"/>, when the engine goes away: callers re-subscribe.
    /// </summary>
    public async IAsyncEnumerable<EngineEvent> WatchEventsAsync(
        IReadOnlyCollection<string> labelFilters,
        DateTimeOffset? since,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var parameters = new ContainerEventsParameters
        {
            Filters = DockerModelMapper.LabelFilters(labelFilters, withType: true),
            Since = since is { } s ? DockerTimestamps.ToUnixQuery(s) : null,
        };
        await foreach (var e in WatchAsync(parameters, cancellationToken).ConfigureAwait(false))
        {
            yield return e;
        }
    }

    public IAsyncEnumerable<EngineEvent> WatchNetworkDisconnectsAsync(CancellationToken cancellationToken) =>
        WatchAsync(
            new ContainerEventsParameters
            {
                Filters = new Dictionary<string, IDictionary<string, bool>>(StringComparer.Ordinal)
                {
                    ["type"] = new Dictionary<string, bool>(StringComparer.Ordinal) { ["network"] = true },
                    ["event"] = new Dictionary<string, bool>(StringComparer.Ordinal) { ["disconnect"] = true },
                },
            },
            cancellationToken);

    private async IAsyncEnumerable<EngineEvent> WatchAsync(ContainerEventsParameters parameters, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var events = Channel.CreateUnbounded<EngineEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var progress = new SyncProgress<Message>(m => events.Writer.TryWrite(DockerModelMapper.ToEvent(m)));
        var monitor = MonitorEventsAsync(parameters, progress, events.Writer, stop.Token);
        try
        {
            await foreach (var e in events.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return e;
            }
        }
        finally
        {
            // The consumer stopped (or the stream ended): end the request, then let the monitor finish.
            await stop.CancelAsync().ConfigureAwait(false);
            await monitor.ConfigureAwait(false);
        }
    }

    private async Task MonitorEventsAsync(ContainerEventsParameters parameters, IProgress<Message> progress, ChannelWriter<EngineEvent> writer, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            await CallAsync("watch events", c => c.System.MonitorEventsAsync(parameters, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Cancelled by the consumer: nothing to report. Else the consumer sees why the stream ended.
            failure = cancellationToken.IsCancellationRequested ? null : ex;
        }
        finally
        {
            writer.TryComplete(failure);
        }
    }

    private async IAsyncEnumerable<LogLine> ReadLinesAsync(MultiplexedStream stream, bool timestamps, string operation, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var lines = MultiplexedLineReader.ReadAsync(stream, timestamps, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await lines.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && DockerErrors.Translate(ex, operation, Host) is { } translated)
            {
                throw translated;
            }

            yield return lines.Current;
        }
    }
}
