namespace GradientNode.Core.Workflows.Runs;

/// <summary>
/// One input or output in run status (§9.3): a dataset as <c>{"dataset": {"id": "test-two:zfk5vqx", "isCommitted": true}, "with": {"id": "test-two"}}</c>,
/// a string as <c>{"type": "string", "value": "..."}</c>, a volume as <c>{"type": "volume"}</c>.
/// </summary>
public sealed record RunValue
{
    public string? Type { get; init; }

    public IReadOnlyDictionary<string, string>? With { get; init; }

    public DatasetValue? Dataset { get; init; }

    /// <summary>A string's content (verbatim bytes as UTF-8; at most <see cref="RunLimits.StringOutputBytes"/>).</summary>
    public string? Value { get; init; }
}
