namespace GradientNode.Core.Engine;

/// <summary>Where the engine lives: <c>unix:///path/docker.sock</c> (or <c>tcp://host:port</c> for tests).</summary>
public sealed record DockerEngineOptions(string Host)
{
    public const string DefaultHost = "unix:///var/run/docker.sock";

    /// <summary>
    /// <c>--containers-cgroup</c>: the slice (or cgroupfs path) every container is created under, so their pids are
    /// bounded together (<see cref="Engine.ContainersCgroup"/>); null or empty for the engine's default.
    /// </summary>
    public string? ContainersCgroup { get; init; }

    /// <summary><c>--docker-host</c>, else <c>$DOCKER_HOST</c>, else the default socket.</summary>
    public static DockerEngineOptions Resolve(string? configured) =>
        new(!string.IsNullOrWhiteSpace(configured) ? configured
            : Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } env ? env
            : DefaultHost);
}
