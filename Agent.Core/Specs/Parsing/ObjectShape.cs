namespace GradientNode.Core.Specs.Parsing;

/// <summary>A spec mapping: its keys, which the reader accepts (any other key is an error) and the schema lists.</summary>
internal sealed record ObjectShape(string Title, IReadOnlyList<FieldShape> Fields)
{
    public string[] Keys => [.. Fields.Select(f => f.Key)];

    public FieldShape this[string key] => Fields.First(f => f.Key == key);

    /// <summary>The keys of several variants of one mapping, in first-seen order: what a reader that reads them all accepts.</summary>
    public static string[] KeysOf(IEnumerable<ObjectShape> variants) => [.. variants.SelectMany(v => v.Keys).Distinct(StringComparer.Ordinal)];
}
