namespace GradientNode.Core.Workflows.Runs;

/// <summary>One job of a <see cref="RunPlan"/>: its action and parameters, what it needs, reads and writes.</summary>
public sealed record JobPlan
{
    public required string Id { get; init; }

    /// <summary><c>container@v1</c>, <c>script@v1</c>, <c>git-checkout@v1</c>, <c>s3-download@v1</c> or <c>create-model@v1</c>.</summary>
    public required string Action { get; init; }

    public IReadOnlyList<string> Needs { get; init; } = [];

    public string? Image { get; init; }

    /// <summary><c>container@v1</c>'s <c>command</c>: the entrypoint.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    public IReadOnlyList<string>? Args { get; init; }

    /// <summary><c>script@v1</c>'s script, run with bash from a read-only file (<c>Execution.JobScriptFile</c>).</summary>
    public string? Script { get; init; }

    /// <summary>The action's scalar <c>with</c> parameters (the daemon-side actions read theirs here; may hold <c>secret:</c> references).</summary>
    public IReadOnlyDictionary<string, string> With { get; init; } = new Dictionary<string, string>();

    /// <summary><c>defaults.env</c> overlaid with the job's <c>env</c> (the job wins).</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>The names in <see cref="Env"/> whose value is <c>defaults.env</c>'s (errors about them name that field).</summary>
    public IReadOnlyList<string> EnvFromDefaults { get; init; } = [];

    public IReadOnlyDictionary<string, JobInput> Inputs { get; init; } = new Dictionary<string, JobInput>();

    public IReadOnlyDictionary<string, JobOutput> Outputs { get; init; } = new Dictionary<string, JobOutput>();

    public int? TimeoutSeconds { get; init; }

    /// <summary>The job's <c>resources.instance-type</c>, else the defaults'; null runs without limits or GPUs.</summary>
    public string? InstanceType { get; init; }

    /// <summary><c>container-registries</c>: stored registry connections to pull the image with.</summary>
    public IReadOnlyList<string> Registries { get; init; } = [];

    /// <summary>Whether the job runs in a container (<c>container@v1</c>, <c>script@v1</c>); the node does the other actions itself.</summary>
    public bool RunsContainer => Action is Specs.WorkflowActions.Container or Specs.WorkflowActions.Script;
}
