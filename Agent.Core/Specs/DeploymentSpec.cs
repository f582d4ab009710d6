using GradientNode.Core.Common;

namespace GradientNode.Core.Specs;

/// <summary>
/// A validated deployment spec (desired state), the same record for both dialects.
/// Built only by <see cref="SpecParser"/>; immutable and compared by value.
/// </summary>
public sealed record DeploymentSpec
{
    /// <summary>The display name: v1 <c>name</c>, or the file stem of a legacy spec without one.</summary>
    public required string Name { get; init; }

    /// <summary>The key: DNS label derived from <see cref="Name"/> (see <see cref="DeploymentName"/>).</summary>
    public required string Slug { get; init; }

    /// <summary><c>apiVersion</c> as written, or <c>v0alpha0</c>/<c>v1</c> when inferred.</summary>
    public required string ApiVersion { get; init; }

    public required SpecDialect Dialect { get; init; }

    public required string Image { get; init; }

    public bool Enabled { get; init; } = true;

    public string? ContainerRegistry { get; init; }

    /// <summary>Overrides the image entrypoint when present (Kubernetes <c>command</c>).</summary>
    public EquatableArray<string>? Command { get; init; }

    public EquatableArray<EnvVarSpec> Env { get; init; } = EquatableArray<EnvVarSpec>.Empty;

    public SecretRef? BasicAuthKey { get; init; }

    public string? Region { get; init; }

    public EquatableArray<IntegrationSpec> Integrations { get; init; } = EquatableArray<IntegrationSpec>.Empty;

    public HealthChecksSpec HealthChecks { get; init; } = HealthChecksSpec.None;

    public required ResourcesSpec Resources { get; init; }

    public EquatableArray<ModelSpec> Models { get; init; } = EquatableArray<ModelSpec>.Empty;

    public RepositoriesSpec? Repositories { get; init; }

    /// <summary>Our extension <c>protocol: http | h2c</c>: how the proxy talks to the replicas (not in the spec hash).</summary>
    public ReplicaProtocol Protocol { get; init; } = ReplicaProtocol.Http;

    /// <summary>Disabled means zero replicas: <c>enabled: false</c> or <c>replicas: 0</c>.</summary>
    public bool IsDisabled => !Enabled || Resources.Replicas == 0;
}
