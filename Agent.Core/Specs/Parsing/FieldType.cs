namespace GradientNode.Core.Specs.Parsing;

/// <summary>The YAML type a spec field takes, as the readers read it and the JSON Schema writes it.</summary>
internal enum FieldType
{
    Text,
    Integer,
    Number,
    Flag,

    /// <summary><c>secret:NAME</c> or <c>secret:ephemeral:KEY</c>; a plain value is an error.</summary>
    Secret,

    /// <summary>A plain string or a secret reference.</summary>
    TextOrSecret,
    TextList,
    IntegerList,
    Mapping,
    MappingList,

    /// <summary>A plain string or a list of them (a workflow's <c>needs</c> and <c>command</c>).</summary>
    TextOrTextList,

    /// <summary>A mapping of names (<see cref="FieldShape.KeyPattern"/>) to values of <see cref="FieldShape.Of"/> or <see cref="FieldShape.OneOf"/>.</summary>
    NamedMap,

    /// <summary>A mapping of names (<see cref="FieldShape.KeyPattern"/>) to scalars read as text (a workflow's <c>env</c>).</summary>
    TextMap,

    /// <summary>A mapping of any keys, accepted and not read (a workflow's <c>on</c> and <c>context</c>).</summary>
    OpenMapping,
}
