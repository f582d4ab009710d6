using System.Text.Json.Serialization;
using YamlDotNet.Serialization;

namespace GradientNode.Core.Status;

/// <summary>The observed state of one deployment: what <c>get NAME -o json</c> and <c>GET /v1/deployments/{name}</c> return.</summary>
public sealed record DeploymentStatus
{
    public required string Name { get; init; }

    public required string Slug { get; init; }

    public required DeploymentState State { get; init; }

    public string Message { get; init; } = string.Empty;

    public int DesiredReplicas { get; init; }

    public int ReadyReplicas { get; init; }

    /// <summary><c>http://&lt;slug&gt;.&lt;domain&gt;:&lt;port&gt;/</c>.</summary>
    public string? Endpoint { get; init; }

    /// <summary>
    /// The secret whose value is the endpoint's basic-auth password (<c>basicAuthKey: secret:NAME</c>), by name only; null
    /// when the endpoint is open to anyone who reaches it.
    /// </summary>
    public string? BasicAuthSecret { get; init; }

    public string? SpecFile { get; init; }

    public string? SpecHash { get; init; }

    public string? Image { get; init; }

    public bool Enabled { get; init; } = true;

    /// <summary>
    /// Why the spec runs no replica on purpose: <see cref="OffDisabled"/> (<c>enabled: false</c>) or <see cref="OffScaledToZero"/>
    /// (<c>resources.replicas: 0</c> with <c>enabled: true</c>: Enable would change nothing, scaling up starts it); null while
    /// the spec runs replicas (or there is no valid spec). <see cref="Enabled"/> is false for both (proxy19).
    /// </summary>
    public string? Off { get; init; }

    /// <summary><see cref="Off"/> of a spec with <c>enabled: false</c>.</summary>
    public const string OffDisabled = "disabled";

    /// <summary><see cref="Off"/> of a spec with <c>resources.replicas: 0</c> (and <c>enabled: true</c>).</summary>
    public const string OffScaledToZero = "scaledToZero";

    /// <summary>Problems in the spec file, each <c>file:line:col: message</c>. Set for Invalid, and when a bad edit keeps the last good version serving.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>Other files that claim the same deployment name, and are ignored.</summary>
    public IReadOnlyList<string> Conflicts { get; init; } = [];

    /// <summary>Spec fields this version of the daemon parses but does not act on yet.</summary>
    public IReadOnlyList<string> NotActedOn { get; init; } = [];

    /// <summary>
    /// Why the current version's replicas cannot be created or kept right now, when an error is the reason: a missing
    /// secret, an unknown machine type, no registry connection, a pull, fetch or start that failed and is retried.
    /// Null otherwise (waiting for a pull, a fetch, free GPUs or a probe is not an error). With an older version still
    /// serving, the state is Degraded; with none, Failed. <c>--wait</c> ends on it with exit 1.
    /// </summary>
    public string? Blocked { get; init; }

    /// <summary>Set while old-spec replicas are being replaced; <c>state: Failed</c> after the progress deadline.</summary>
    public RolloutStatus? Rollout { get; init; }

    /// <summary>
    /// When the node gives up on the current version if no replica of it becomes ready by then (its
    /// <c>--progress-deadline</c> after the rollout's last progress, or after a first version's first replica was created):
    /// the rollout then fails and the old version keeps serving, or a first version is Failed (still tried). Null when
    /// no such clock runs (rolled out, disabled, waiting for a pull). <c>--wait</c> says it.
    /// </summary>
    public DateTimeOffset? GivesUpAt { get; init; }

    /// <summary>The node's progress deadline (<c>--progress-deadline</c>, default 10 minutes), in seconds; null without a spec.</summary>
    public int? ProgressDeadlineSeconds { get; init; }

    /// <summary>The image pull that the next replicas wait for, with its progress; null when none runs.</summary>
    public PullStatus? Pull { get; init; }

    /// <summary>
    /// What runs, but not as asked: e.g. the image pull of the current version failed without the registry answering (it
    /// cannot be reached) and the image already on the node runs instead; each a sentence naming the registry and its error.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>
    /// <c>GET /v1/deployments/{name}</c> only: true once the route table the proxy reads (<c>&lt;run-dir&gt;/routes.json</c>) holds
    /// the deployment with exactly the ready replicas this status lists, false while it lags behind (a change reaches the
    /// table within the publisher's 500 ms window), null when the daemon cannot say (the table cannot be written, or this
    /// daemon has not written it yet) and in lists. <c>apply --wait</c> and <c>restart --wait</c> end only when it is not false.
    /// </summary>
    public bool? Routed { get; init; }

    /// <summary>Every container of this deployment, old-spec and exited ones too. The wire name stays <c>instances</c> (public contract, ARCHITECTURE.md).</summary>
    [JsonPropertyName("instances")]
    [YamlMember(Alias = "instances")]
    public IReadOnlyList<ReplicaStatus> Replicas { get; init; } = [];

    /// <summary>Integrations, models and repositories of the current version: state, fetch progress and disk use.</summary>
    public IReadOnlyList<VolumeStatus> Volumes { get; init; } = [];

    /// <summary>Requests through the proxy (forwarded and answered by the proxy itself); null before the proxy reported any.</summary>
    public TrafficStatus? Traffic { get; init; }

    /// <summary>The autoscaler's metrics, recommendation and last scaling event; null when autoscaling is off.</summary>
    public AutoscalingStatus? Autoscaling { get; init; }

    /// <summary>
    /// When the crash backoff that <see cref="Message"/> counts down to ends (<c>…; restarting in 7s</c>): the next restart of an
    /// exited replica of the current version. Null when the message shows no countdown. The API renders the countdown from
    /// it when the status is read (<see cref="RestartCountdown"/>), so it holds between two reconciles.
    /// </summary>
    public DateTimeOffset? RestartAt { get; init; }

    public DateTimeOffset ObservedAt { get; init; }

    /// <summary>
    /// True while the Docker engine cannot be reached: the instances and their readiness are as last seen at
    /// <see cref="ObservedAt"/>, except that an instance the proxy has taken out of rotation since (a failed connect,
    /// <see cref="RotationOverlay"/>) is shown not ready.
    /// </summary>
    public bool EngineUnreachable { get; init; }
}
