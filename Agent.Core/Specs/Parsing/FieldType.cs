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
}
