namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// One key of a spec mapping: its type, whether it is required, and the bounds the reader checks
/// (<see cref="Minimum"/>/<see cref="Maximum"/> for numbers and list items, <see cref="MaxItems"/>, <see cref="Values"/>).
/// </summary>
internal sealed record FieldShape(string Key, FieldType Type, string Description, bool Required = false)
{
    /// <summary>The mapping of an <see cref="FieldType.Mapping"/>, or of each item of a <see cref="FieldType.MappingList"/>.</summary>
    public ObjectShape? Of { get; init; }

    /// <summary>For an object list whose items take different keys by a discriminator field (integrations by <c>type</c>).</summary>
    public IReadOnlyList<ObjectShape> OneOf { get; init; } = [];

    public double? Minimum { get; init; }

    public double? Maximum { get; init; }

    public int? MinItems { get; init; }

    /// <summary>For a list, the most items it may hold; for a <see cref="FieldType.NamedMap"/>, the most keys (the schema's <c>maxProperties</c>).</summary>
    public int? MaxItems { get; init; }

    public IReadOnlyList<string> Values { get; init; } = [];

    /// <summary>A regular expression the string must match (beyond what <see cref="Type"/> says); for a text map, each value.</summary>
    public string? Pattern { get; init; }

    /// <summary>A lower bound the number must exceed (a timeout above 0).</summary>
    public double? ExclusiveMinimum { get; init; }

    /// <summary>For a list: an item may appear once (a workflow's <c>needs</c>).</summary>
    public bool UniqueItems { get; init; }

    /// <summary>For <see cref="FieldType.NamedMap"/> and <see cref="FieldType.TextMap"/>: the regular expression every key matches.</summary>
    public string? KeyPattern { get; init; }

    /// <summary>For <see cref="FieldType.NamedMap"/>: a string value matching this is accepted in place of a mapping (a job input's alias).</summary>
    public string? OrText { get; init; }
}
