using System.Net;
using System.Runtime.CompilerServices;
using Docker.DotNet;
using Docker.DotNet.Models;
using GradientNode.Core.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GradientNode.Core.Engine;

/// <summary>
/// <see cref="IContainerEngine"/> over Docker.DotNet (Docker.DotNet.Enhanced): the API version is negotiated once
/// (<see cref="DockerClientProvider"/>), the library's models are mapped by <see cref="DockerModelMapper"/> and its
/// exceptions by <see cref="DockerErrors"/>. No retries beyond the caller's.
/// </summary>
public sealed partial class DockerEngine : IContainerEngine, IDisposable
{
    private const int MaxExecOutputChars = 64 * 1024;
    private static readonly TimeSpan StatsResampleDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ExecPollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan RemovalInProgressWait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RemovalPollInterval = TimeSpan.FromMilliseconds(100);

    private readonly DockerClientProvider _clients;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string? _containersCgroup;
    private string? _cgroupParent;

    public DockerEngine(DockerEngineOptions options, ILogger<DockerEngine>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clients = new DockerClientProvider(options.Host);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _containersCgroup = string.IsNullOrWhiteSpace(options.ContainersCgroup) ? null : options.ContainersCgroup;
    }

    /// <summary>The engine address this instance talks to.</summary>
    public string Host => _clients.Host;

    /// <summary>The negotiated Engine API version (e.g. <c>1.41</c>), null before the first versioned call.</summary>
    public string? ApiVersion => _clients.ApiVersion;

    public Task PingAsync(CancellationToken cancellationToken) =>
        CallAsync($"ping of {Host}", async _ => { await _clients.Unversioned.System.PingAsync(cancellationToken).ConfigureAwait(false); return true; }, cancellationToken, versioned: false);

    public Task<EngineVersion> GetVersionAsync(CancellationToken cancellationToken) =>
        CallAsync("GET /version", async _ => DockerModelMapper.ToVersion(await _clients.Unversioned.System.GetVersionAsync(cancellationToken).ConfigureAwait(false)), cancellationToken, versioned: false);

    public Task<EngineInfo> GetInfoAsync(CancellationToken cancellationToken) =>
        CallAsync("GET /info", async c => DockerModelMapper.ToInfo(await c.System.GetSystemInfoAsync(cancellationToken).ConfigureAwait(false)), cancellationToken);

    public Task<ImageDetails?> InspectImageAsync(string image, CancellationToken cancellationToken) =>
        CallAsync<ImageDetails?>($"inspect image '{image}'", async c =>
        {
            try
            {
                return DockerModelMapper.ToImageDetails(await c.Images.InspectImageAsync(image, cancellationToken).ConfigureAwait(false));
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }, cancellationToken);

    public async Task PullImageAsync(string image, RegistryAuth? auth, IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        if (!ImageReference.TryParse(image, out var reference, out var error))
        {
            throw new EngineException($"invalid image reference '{image}': {error}", 400);
        }

        var started = _time.GetTimestamp();
        LogPulling(_logger, reference.ToString(), auth?.Username);
        string? failure = null;
        var lines = new SyncProgress<JSONMessage>(line =>
        {
            if (line.Error?.Message is { Length: > 0 } message)
            {
                failure ??= message;
            }
            else if (failure is null)
            {
                progress?.Report(DockerModelMapper.ToPullProgress(line));
            }
        });
        var parameters = new ImagesCreateParameters { FromImage = reference.Name, Tag = reference.TagOrDigest };
        try
        {
            var client = await _clients.GetAsync(cancellationToken).ConfigureAwait(false);
            await client.Images.CreateImageAsync(parameters, auth is null ? null : DockerModelMapper.ToAuthConfig(auth), lines, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException ex)
        {
            throw DockerErrors.ToPullException(image, DockerErrors.MessageOf(ex), (int)ex.StatusCode);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && DockerErrors.Translate(ex, $"pull of '{image}'", Host) is { } translated)
        {
            throw translated;
        }

        // The engine reports a failed pull in-band, as the stream's last line.
        if (failure is not null)
        {
            throw DockerErrors.ToPullException(image, failure, 0);
        }

        LogPulled(_logger, reference.ToString(), (long)_time.GetElapsedTime(started).TotalMilliseconds);
    }

    public async Task<string> CreateContainerAsync(ContainerCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = GpuVisibility.Confine(request) with { CgroupParent = await CgroupParentAsync(cancellationToken).ConfigureAwait(false) };
        await NodeLabelsGuard.CheckAsync(this, request, cancellationToken).ConfigureAwait(false);
        var created = await CallAsync(
            $"create container '{request.Name}'",
            c => c.Containers.CreateContainerAsync(DockerModelMapper.ToCreateParameters(request), cancellationToken),
            cancellationToken,
            image: request.Image).ConfigureAwait(false);
        foreach (var warning in created.Warnings ?? [])
        {
            LogCreateWarning(_logger, request.Name, warning);
        }

        LogCreated(_logger, request.Name, created.ID, request.Image);
        return created.ID;
    }

    /// <summary>
    /// The <c>CgroupParent</c> of every create (<see cref="ContainersCgroup"/>), learnt from the engine's cgroup driver
    /// at the first create; under cgroupfs on this host the parent is made with its <c>pids.max</c> where nothing made
    /// it, and a parent that bounds nothing is logged once (event 2008).
    /// </summary>
    private async Task<string?> CgroupParentAsync(CancellationToken cancellationToken)
    {
        if (_containersCgroup is null || Volatile.Read(ref _cgroupParent) is not null)
        {
            return Volatile.Read(ref _cgroupParent);
        }

        var info = await GetInfoAsync(cancellationToken).ConfigureAwait(false);
        var parent = ContainersCgroup.ParentFor(_containersCgroup, info.CgroupDriver)!;
        if (Host.StartsWith("unix://", StringComparison.Ordinal)
            && !string.Equals(info.CgroupDriver, "systemd", StringComparison.OrdinalIgnoreCase)
            && ContainersCgroup.PidMax() is { } pidMax)
        {
            ContainersCgroup.Prepare(parent, info.CgroupVersion, ContainersCgroup.DefaultLimit(pidMax));
        }

        if (Interlocked.CompareExchange(ref _cgroupParent, parent, null) is null
            && ContainersCgroup.Check(_containersCgroup, Host, info, pidsLimit: 0, maxReplicas: 0) is { } warning)
        {
            LogContainersUnbounded(_logger, warning);
        }

        return parent;
    }

    public Task StartContainerAsync(string id, CancellationToken cancellationToken) =>
        CallAsync($"start container {ContainerIds.Short(id)}", c => c.Containers.StartContainerAsync(id, null, cancellationToken), cancellationToken, containerId: id);

    public Task StopContainerAsync(string id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var seconds = (uint)Math.Ceiling(Math.Clamp(timeout.TotalSeconds, 0, uint.MaxValue));
        return IgnoreNotFoundAsync($"stop container {ContainerIds.Short(id)}", c => c.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = seconds }, cancellationToken), cancellationToken);
    }

    public async Task RemoveContainerAsync(string id, bool force, CancellationToken cancellationToken)
    {
        var operation = $"remove container {ContainerIds.Short(id)}";
        try
        {
            await IgnoreNotFoundAsync(operation, c => c.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = force, RemoveVolumes = true }, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (ContainerConflictException ex) when (ex.Answer.Contains("already in progress", StringComparison.OrdinalIgnoreCase))
        {
            // Another caller (a node stopped mid-removal, whose request dockerd carries on) removes it now: wait for that one.
            await WaitUntilRemovedAsync(id, ex, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<ContainerDetails?> InspectContainerAsync(string id, CancellationToken cancellationToken) =>
        await InspectRawAsync(id, cancellationToken).ConfigureAwait(false) is { } raw ? DockerModelMapper.ToDetails(raw) : null;

    public async Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(IReadOnlyCollection<string> labelFilters, CancellationToken cancellationToken)
    {
        var parameters = new ContainersListParameters { All = true, Filters = DockerModelMapper.LabelFilters(labelFilters, withType: false) };
        var list = await CallAsync("list containers", c => c.Containers.ListContainersAsync(parameters, cancellationToken), cancellationToken).ConfigureAwait(false);
        return [.. list.Select(DockerModelMapper.ToSummary)];
    }

    /// <summary>
    /// One sample with CPU%. <c>stream=false</c> (without <c>one-shot</c>) makes dockerd wait for a second
    /// cgroup read (~1 s), so <c>precpu_stats</c> is filled and CPU% is real (checked on 20.10/API 1.41).
    /// Should an engine still send an empty precpu, we sample again after one second and compute against the first.
    /// </summary>
    public async Task<ContainerStats> GetStatsAsync(string id, CancellationToken cancellationToken)
    {
        var first = await GetStatsRawAsync(id, cancellationToken).ConfigureAwait(false);
        if (DockerModelMapper.HasPreviousSample(first))
        {
            return DockerModelMapper.ToStats(first, _time.GetUtcNow());
        }

        LogStatsResample(_logger, id);
        await Task.Delay(StatsResampleDelay, _time, cancellationToken).ConfigureAwait(false);
        var second = await GetStatsRawAsync(id, cancellationToken).ConfigureAwait(false);
        second.PreCPUStats = first.CPUStats;
        return DockerModelMapper.ToStats(second, _time.GetUtcNow());
    }

    public void Dispose() => _clients.Dispose();

    private async Task<ContainerInspectResponse?> InspectRawAsync(string id, CancellationToken cancellationToken) =>
        await CallAsync<ContainerInspectResponse?>($"inspect container {ContainerIds.Short(id)}", async c =>
        {
            try
            {
                return await c.Containers.InspectContainerAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }, cancellationToken).ConfigureAwait(false);

    private async Task<ContainerStatsResponse> GetStatsRawAsync(string id, CancellationToken cancellationToken)
    {
        ContainerStatsResponse? sample = null;
        await CallAsync(
            $"stats of container {ContainerIds.Short(id)}",
            c => c.Containers.GetContainerStatsAsync(id, new ContainerStatsParameters { Stream = false }, new SyncProgress<ContainerStatsResponse>(s => sample ??= s), cancellationToken),
            cancellationToken,
            containerId: id).ConfigureAwait(false);
        return sample ?? throw new EngineException($"stats of container {ContainerIds.Short(id)}: the engine sent no sample");
    }

    /// <summary>
    /// Waits up to <see cref="RemovalInProgressWait"/> for a container that dockerd is removing for another caller to be
    /// gone; still there after that, the conflict is thrown as it came.
    /// </summary>
    private async Task WaitUntilRemovedAsync(string id, ContainerConflictException conflict, CancellationToken cancellationToken)
    {
        var until = _time.After(RemovalInProgressWait); // monotonic: a clock step neither ends the wait at once nor stretches it
        while (await InspectRawAsync(id, cancellationToken).ConfigureAwait(false) is not null)
        {
            if (_time.Until(until) <= TimeSpan.Zero)
            {
                throw conflict;
            }

            await Task.Delay(RemovalPollInterval, _time, cancellationToken).ConfigureAwait(false);
        }

        LogRemovalWaited(_logger, ContainerIds.Short(id));
    }

    /// <summary>Stop and remove: a container that is already gone is not an error.</summary>
    private async Task IgnoreNotFoundAsync(string operation, Func<DockerClient, Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync(operation, call, cancellationToken, containerId: "").ConfigureAwait(false);
        }
        catch (ContainerNotFoundException)
        {
            // Already gone.
        }
    }

    private Task CallAsync(string operation, Func<DockerClient, Task> call, CancellationToken cancellationToken, string? containerId = null) =>
        CallAsync(operation, async c => { await call(c).ConfigureAwait(false); return true; }, cancellationToken, containerId: containerId);

    /// <summary>One library call with its failures typed: see <see cref="DockerErrors.Translate"/>.</summary>
    private async Task<T> CallAsync<T>(string operation, Func<DockerClient, Task<T>> call, CancellationToken cancellationToken, string? containerId = null, string? image = null, bool versioned = true)
    {
        try
        {
            var client = versioned ? await _clients.GetAsync(cancellationToken).ConfigureAwait(false) : _clients.Unversioned;
            return await call(client).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && DockerErrors.Translate(ex, operation, Host, containerId, image) is { } translated)
        {
            throw translated;
        }
    }
}
