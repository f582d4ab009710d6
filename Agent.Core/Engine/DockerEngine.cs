using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradientNode.Core.Engine;

/// <summary>
/// <see cref="IContainerEngine"/> over the Docker Engine API (HTTP+JSON on the unix socket), with our own
/// client: the API version is negotiated once via <c>GET /version</c> (at most 1.43), failures map to the
/// typed <see cref="EngineException"/> family. No retries beyond what the connection pool does.
/// </summary>
public sealed partial class DockerEngine : IContainerEngine, IDisposable
{
    private static readonly TimeSpan StatsResampleDelay = TimeSpan.FromSeconds(1);

    private readonly DockerHttpClient _client;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public DockerEngine(DockerEngineOptions options, ILogger<DockerEngine>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _client = new DockerHttpClient(options.Host);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The engine address this instance talks to.</summary>
    public string Host => _client.Host;

    /// <summary>The negotiated Engine API version (e.g. <c>1.41</c>), null before the first versioned call.</summary>
    public string? ApiVersion => _client.ApiVersion;

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/_ping");
        using var response = await _client.SendRawAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await DockerHttpClient.EnsureSuccessAsync(response, $"ping of {Host}", cancellationToken).ConfigureAwait(false);
    }

    public async Task<EngineVersion> GetVersionAsync(CancellationToken cancellationToken) =>
        DockerWireMapper.ToVersion(await _client.GetServerVersionAsync(cancellationToken).ConfigureAwait(false));

    public async Task<EngineInfo> GetInfoAsync(CancellationToken cancellationToken)
    {
        using var response = await _client.SendAsync(HttpMethod.Get, "/info", null, cancellationToken).ConfigureAwait(false);
        await DockerHttpClient.EnsureSuccessAsync(response, "GET /info", cancellationToken).ConfigureAwait(false);
        return DockerWireMapper.ToInfo(await _client.ReadJsonAsync(response, DockerJsonContext.Default.WireInfo, cancellationToken).ConfigureAwait(false));
    }

    public async Task<ImageDetails?> InspectImageAsync(string image, CancellationToken cancellationToken)
    {
        using var response = await _client.SendAsync(HttpMethod.Get, $"/images/{DockerQuery.EscapePath(image)}/json", null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        await DockerHttpClient.EnsureSuccessAsync(response, $"inspect image '{image}'", cancellationToken).ConfigureAwait(false);
        return DockerWireMapper.ToImageDetails(await _client.ReadJsonAsync(response, DockerJsonContext.Default.WireImageInspect, cancellationToken).ConfigureAwait(false));
    }

    public async Task PullImageAsync(string image, RegistryAuth? auth, IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        if (!ImageReference.TryParse(image, out var reference, out var error))
        {
            throw new EngineException($"invalid image reference '{image}': {error}", 400);
        }

        var started = Stopwatch.GetTimestamp();
        LogPulling(_logger, reference.ToString(), auth?.Username);
        var query = $"/images/create?fromImage={Uri.EscapeDataString(reference.Name)}&tag={Uri.EscapeDataString(reference.TagOrDigest)}";
        using var response = await _client.SendAsync(
            HttpMethod.Post, query, null, cancellationToken, HttpCompletionOption.ResponseHeadersRead,
            headers => { if (auth is not null) { headers.Add("X-Registry-Auth", DockerQuery.EncodeAuth(auth)); } }).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var message = await DockerHttpClient.ReadErrorMessageAsync(response, cancellationToken).ConfigureAwait(false);
            throw DockerWireMapper.ToPullException(image, message, (int)response.StatusCode);
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(body, Encoding.UTF8);
        while (await _client.ReadLineAsync(reader, cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var item = JsonSerializer.Deserialize(line, DockerJsonContext.Default.WirePullLine);
            if (item is null)
            {
                continue;
            }

            if ((item.ErrorDetail?.Message ?? item.Error) is { Length: > 0 } failure)
            {
                throw DockerWireMapper.ToPullException(image, failure, 0);
            }

            progress?.Report(new PullProgress(item.Status ?? "", item.Id, item.ProgressDetail?.Current, item.ProgressDetail?.Total));
        }

        LogPulled(_logger, reference.ToString(), (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public async Task<string> CreateContainerAsync(ContainerCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var content = DockerHttpClient.Json(DockerWireMapper.ToWire(request), DockerJsonContext.Default.WireContainerCreate);
        using var response = await _client.SendAsync(HttpMethod.Post, $"/containers/create?name={Uri.EscapeDataString(request.Name)}", content, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var message = await DockerHttpClient.ReadErrorMessageAsync(response, cancellationToken).ConfigureAwait(false);
            var text = $"create container '{request.Name}' failed: {message}";
            throw (int)response.StatusCode switch
            {
                404 => new ImageNotFoundException(request.Image, text),
                409 => new ContainerConflictException(text),
                var status => new EngineException(text, status),
            };
        }

        var created = await _client.ReadJsonAsync(response, DockerJsonContext.Default.WireCreateResponse, cancellationToken).ConfigureAwait(false);
        foreach (var warning in created.Warnings ?? [])
        {
            LogCreateWarning(_logger, request.Name, warning);
        }

        LogCreated(_logger, request.Name, created.Id, request.Image);
        return created.Id;
    }

    public Task StartContainerAsync(string id, CancellationToken cancellationToken) =>
        SendContainerCommandAsync(HttpMethod.Post, id, $"/containers/{DockerQuery.EscapePath(id)}/start", "start", notFoundIsOk: false, cancellationToken);

    public Task StopContainerAsync(string id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var seconds = (long)Math.Ceiling(Math.Max(0, timeout.TotalSeconds));
        return SendContainerCommandAsync(HttpMethod.Post, id, string.Create(CultureInfo.InvariantCulture, $"/containers/{DockerQuery.EscapePath(id)}/stop?t={seconds}"), "stop", notFoundIsOk: true, cancellationToken);
    }

    public Task RemoveContainerAsync(string id, bool force, CancellationToken cancellationToken) =>
        SendContainerCommandAsync(HttpMethod.Delete, id, $"/containers/{DockerQuery.EscapePath(id)}?force={(force ? "true" : "false")}&v=true", "remove", notFoundIsOk: true, cancellationToken);

    public async Task<ContainerDetails?> InspectContainerAsync(string id, CancellationToken cancellationToken) =>
        await InspectWireAsync(id, cancellationToken).ConfigureAwait(false) is { } wire ? DockerWireMapper.ToDetails(wire) : null;

    public async Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(IReadOnlyCollection<string> labelFilters, CancellationToken cancellationToken)
    {
        using var response = await _client.SendAsync(HttpMethod.Get, $"/containers/json?all=true&filters={DockerQuery.LabelFilters(labelFilters, withType: false)}", null, cancellationToken).ConfigureAwait(false);
        await DockerHttpClient.EnsureSuccessAsync(response, "list containers", cancellationToken).ConfigureAwait(false);
        var list = await _client.ReadJsonAsync(response, DockerJsonContext.Default.ListWireContainerSummary, cancellationToken).ConfigureAwait(false);
        return [.. list.Select(DockerWireMapper.ToSummary)];
    }

    public async IAsyncEnumerable<LogLine> GetLogsAsync(string id, LogOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);

        // Framing depends on the TTY flag: multiplexed (8-byte headers) without one, raw with one.
        var container = await InspectWireAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new ContainerNotFoundException(id);
        var query = new StringBuilder($"/containers/{DockerQuery.EscapePath(id)}/logs?stdout=true&stderr=true");
        query.Append(options.Follow ? "&follow=true" : "").Append(options.Timestamps ? "&timestamps=true" : "");
        query.Append(CultureInfo.InvariantCulture, $"&tail={(options.Tail is { } tail ? tail.ToString(CultureInfo.InvariantCulture) : "all")}");
        if (options.Since is { } since)
        {
            query.Append("&since=").Append(DockerTimestamps.ToUnixQuery(since));
        }

        using var response = await _client.SendAsync(HttpMethod.Get, query.ToString(), null, cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new ContainerNotFoundException(id);
        }

        await DockerHttpClient.EnsureSuccessAsync(response, $"logs of container {id}", cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var multiplexed = container.Config?.Tty != true;
        await foreach (var line in DockerLogDemuxer.ReadAsync(body, multiplexed, options.Timestamps, cancellationToken).ConfigureAwait(false))
        {
            yield return line;
        }
    }

    public async Task<ExecResult> ExecAsync(string id, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            var create = new WireExecCreate([.. command], AttachStdout: true, AttachStderr: true, Tty: false);
            using var createContent = DockerHttpClient.Json(create, DockerJsonContext.Default.WireExecCreate);
            using var created = await _client.SendAsync(HttpMethod.Post, $"/containers/{DockerQuery.EscapePath(id)}/exec", createContent, timer.Token).ConfigureAwait(false);
            if (created.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                throw new ContainerNotFoundException(id);
            }

            await DockerHttpClient.EnsureSuccessAsync(created, $"exec in container {id}", timer.Token).ConfigureAwait(false);
            var execId = (await _client.ReadJsonAsync(created, DockerJsonContext.Default.WireIdResponse, timer.Token).ConfigureAwait(false)).Id;

            // Detach=false without an Upgrade header: the engine streams the (multiplexed) output and closes when the command ends.
            using var startContent = DockerHttpClient.Json(new WireExecStart(Detach: false, Tty: false), DockerJsonContext.Default.WireExecStart);
            using var started = await _client.SendAsync(HttpMethod.Post, $"/exec/{DockerQuery.EscapePath(execId)}/start", startContent, timer.Token, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            await DockerHttpClient.EnsureSuccessAsync(started, $"exec start in container {id}", timer.Token).ConfigureAwait(false);
            var output = new StringBuilder();
            await using (var body = await started.Content.ReadAsStreamAsync(timer.Token).ConfigureAwait(false))
            {
                await foreach (var line in DockerLogDemuxer.ReadAsync(body, multiplexed: true, timestamps: false, timer.Token).ConfigureAwait(false))
                {
                    if (output.Length < 64 * 1024)
                    {
                        output.Append(line.Text).Append('\n');
                    }
                }
            }

            // The stream can end a moment before the engine records the exit code.
            while (true)
            {
                using var inspected = await _client.SendAsync(HttpMethod.Get, $"/exec/{DockerQuery.EscapePath(execId)}/json", null, timer.Token).ConfigureAwait(false);
                await DockerHttpClient.EnsureSuccessAsync(inspected, $"exec inspect in container {id}", timer.Token).ConfigureAwait(false);
                var state = await _client.ReadJsonAsync(inspected, DockerJsonContext.Default.WireExecInspect, timer.Token).ConfigureAwait(false);
                if (!state.Running && state.ExitCode is { } exitCode)
                {
                    return new ExecResult(exitCode, output.ToString());
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20), _time, timer.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"exec in container {id} did not finish within {timeout.TotalSeconds:0.#} s");
        }
    }

    /// <summary>
    /// One sample with CPU%. <c>stream=false</c> (without <c>one-shot</c>) makes dockerd 20.10 wait for a second
    /// cgroup read (~1 s), so <c>precpu_stats</c> is filled and CPU% is real (checked on 20.10/API 1.41;
    /// <c>one-shot=true</c> would return an empty precpu). Should an engine still send an empty precpu,
    /// we take a second sample ourselves after one second and compute against the first.
    /// </summary>
    public async Task<ContainerStats> GetStatsAsync(string id, CancellationToken cancellationToken)
    {
        var first = await GetStatsWireAsync(id, cancellationToken).ConfigureAwait(false);
        if (DockerWireMapper.HasPreviousSample(first))
        {
            return DockerWireMapper.ToStats(first);
        }

        LogStatsResample(_logger, id);
        await Task.Delay(StatsResampleDelay, _time, cancellationToken).ConfigureAwait(false);
        var second = await GetStatsWireAsync(id, cancellationToken).ConfigureAwait(false);
        return DockerWireMapper.ToStats(second with { PrecpuStats = first.CpuStats });
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
        var query = $"/events?filters={DockerQuery.LabelFilters(labelFilters, withType: true)}" + (since is { } s ? $"&since={DockerTimestamps.ToUnixQuery(s)}" : "");
        using var response = await _client.SendAsync(HttpMethod.Get, query, null, cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        await DockerHttpClient.EnsureSuccessAsync(response, "watch events", cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(body, Encoding.UTF8);
        while (await _client.ReadLineAsync(reader, cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (!string.IsNullOrWhiteSpace(line) && JsonSerializer.Deserialize(line, DockerJsonContext.Default.WireEvent) is { } wire)
            {
                yield return DockerWireMapper.ToEvent(wire);
            }
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task<WireContainerInspect?> InspectWireAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await _client.SendAsync(HttpMethod.Get, $"/containers/{DockerQuery.EscapePath(id)}/json", null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        await DockerHttpClient.EnsureSuccessAsync(response, $"inspect container {id}", cancellationToken).ConfigureAwait(false);
        return await _client.ReadJsonAsync(response, DockerJsonContext.Default.WireContainerInspect, cancellationToken).ConfigureAwait(false);
    }

    private async Task<WireStats> GetStatsWireAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await _client.SendAsync(HttpMethod.Get, $"/containers/{DockerQuery.EscapePath(id)}/stats?stream=false", null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new ContainerNotFoundException(id);
        }

        await DockerHttpClient.EnsureSuccessAsync(response, $"stats of container {id}", cancellationToken).ConfigureAwait(false);
        return await _client.ReadJsonAsync(response, DockerJsonContext.Default.WireStats, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>start/stop/remove: 204, and 304 (already so) are success; 404 is per operation; 409 is a conflict.</summary>
    private async Task SendContainerCommandAsync(HttpMethod method, string id, string path, string verb, bool notFoundIsOk, CancellationToken cancellationToken)
    {
        using var response = await _client.SendAsync(method, path, null, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode || status == 304 || (status == 404 && notFoundIsOk))
        {
            return;
        }

        if (status == 404)
        {
            throw new ContainerNotFoundException(id);
        }

        var message = await DockerHttpClient.ReadErrorMessageAsync(response, cancellationToken).ConfigureAwait(false);
        var text = $"{verb} container {id} failed: {message}";
        throw status == 409 ? new ContainerConflictException(text) : new EngineException(text, status);
    }
}
