using System.Globalization;
using Docker.DotNet;

namespace GradientNode.Core.Engine;

/// <summary>
/// The Docker.DotNet clients for one engine address. Docker.DotNet sends unversioned paths unless told a version,
/// and unversioned paths are deprecated by the Engine API, so the version is negotiated once: <c>GET /version</c>
/// (unversioned, as the API allows), then every other call goes to <c>/v{min(engine, ours)}/…</c>, never newer
/// than the engine's own.
/// </summary>
internal sealed class DockerClientProvider : IDisposable
{
    /// <summary>The newest Engine API the library's models describe (Docker.DotNet.Enhanced 4.3.3: Docker 29.4, API 1.54).</summary>
    internal static readonly Version MaxApiVersion = new(1, 54);

    private readonly Uri _endpoint;
    private readonly SemaphoreSlim _negotiateLock = new(1, 1);
    private volatile DockerClient? _versioned;

    public DockerClientProvider(string host)
    {
        Host = host;
        _endpoint = ToEndpoint(host);
        Unversioned = Build(_endpoint, apiVersion: null);
    }

    public string Host { get; }

    /// <summary>For <c>/_ping</c> and <c>/version</c>, which every engine serves without a version prefix.</summary>
    public DockerClient Unversioned { get; }

    /// <summary>The negotiated API version, e.g. <c>1.41</c>, once known.</summary>
    public string? ApiVersion => _versioned?.Options.ApiVersion?.ToString(2);

    /// <summary>Picks <c>min(engine's API version, <see cref="MaxApiVersion"/>)</c>: the engine's answer is the ceiling.</summary>
    public static Version? Negotiate(string? engineApiVersion) =>
        Version.TryParse(engineApiVersion, out var engine)
            ? new Version(engine.Major, engine.Minor) < MaxApiVersion ? new Version(engine.Major, engine.Minor) : MaxApiVersion
            : null;

    /// <summary>The client for versioned calls; the first call asks the engine for its version.</summary>
    public async ValueTask<DockerClient> GetAsync(CancellationToken cancellationToken)
    {
        if (_versioned is { } known)
        {
            return known;
        }

        await _negotiateLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_versioned is { } raced)
            {
                return raced;
            }

            var version = await Unversioned.System.GetVersionAsync(cancellationToken).ConfigureAwait(false);

            // An engine that does not say which API it speaks gets unversioned paths (its own version).
            _versioned = Negotiate(version.APIVersion) is { } chosen ? Build(_endpoint, chosen) : Unversioned;
            return _versioned;
        }
        finally
        {
            _negotiateLock.Release();
        }
    }

    public void Dispose()
    {
        if (_versioned is { } versioned && !ReferenceEquals(versioned, Unversioned))
        {
            versioned.Dispose();
        }

        Unversioned.Dispose();
        _negotiateLock.Dispose();
    }

    /// <summary><c>unix:///path</c>, <c>tcp://host:port</c> or <c>http://host:port</c> (plain HTTP, for tests).</summary>
    internal static Uri ToEndpoint(string host)
    {
        if (Uri.TryCreate(host, UriKind.Absolute, out var uri) && uri.Scheme is "unix" or "tcp" or "http")
        {
            return uri;
        }

        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"unsupported Docker host '{host}' (use unix:///path or tcp://host:port)"), nameof(host));
    }

    // No client-wide timeout: logs, events and pulls stream for as long as the caller's token allows.
    private static DockerClient Build(Uri endpoint, Version? apiVersion) =>
        new DockerClientBuilder()
            .WithEndpoint(endpoint)
            .WithApiVersion(apiVersion)
            .WithTimeout(Timeout.InfiniteTimeSpan)
            .Build();
}
