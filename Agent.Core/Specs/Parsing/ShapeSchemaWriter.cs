using System.Text.Json;
using System.Text.Json.Nodes;
using static GradientNode.Core.Specs.Parsing.FieldType;

namespace GradientNode.Core.Specs.Parsing;

/// <summary>
/// Writes JSON Schema (draft-07) nodes from the shape tables the readers read with (<see cref="SpecShapes"/>, the
/// workflow shapes). Optional keys also take null (the parser reads an empty value as absent); strings take any scalar
/// (YAML reads <c>image: 1.0</c> as a number, the parser as text).
/// </summary>
internal static class ShapeSchemaWriter
{
    public const string Draft = "http://json-schema.org/draft-07/schema#";

    public static string Write(JsonObject schema) => schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    /// <summary>A top-level object: <see cref="Object"/> that also takes the extension fields the loader drops (<c>x-…</c>, <see cref="ExtensionFields"/>).</summary>
    public static JsonObject TopLevel(ObjectShape shape)
    {
        var node = Object(shape);
        node["patternProperties"] = new JsonObject { [ExtensionFields.Pattern] = new JsonObject() };
        return node;
    }

    public static JsonObject Object(ObjectShape shape)
    {
        var properties = new JsonObject();
        foreach (var field in shape.Fields)
        {
            properties[field.Key] = Field(field);
        }

        var node = new JsonObject
        {
            ["title"] = shape.Title,
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["properties"] = properties,
        };
        if (shape.Fields.Where(f => f.Required).Select(f => (JsonNode?)f.Key).ToArray() is { Length: > 0 } required)
        {
            node["required"] = new JsonArray(required);
        }

        return node;
    }

    private static JsonObject Field(FieldShape field)
    {
        var node = field.Type switch
        {
            Text or TextOrSecret => Scalar(field, "string", "number", "boolean"),
            Secret => Scalar(field, "string"),
            Integer => Scalar(field, "integer"),
            Number => Scalar(field, "number"),
            Flag => Scalar(field, "boolean"),
            TextList => Array(field, PlainItem(field)),
            IntegerList => Array(field, Bounds(new JsonObject { ["type"] = "integer" }, field)),
            Mapping when field.OneOf.Count > 0 => OrNull(Shapes(field), field),
            Mapping => Nullable(Object(field.Of!), field),
            TextOrTextList => TextOrList(field),
            NamedMap => Map(field, Values(field)),
            TextMap => Map(field, Scalar(field with { Required = false }, "string", "number", "boolean")),
            OpenMapping => new JsonObject { ["type"] = Types(field.Required ? ["object"] : ["object", "null"]) },
            _ => Array(field, Shapes(field)),
        };
        node["description"] = field.Description;
        return node;
    }

    /// <summary>The mapping of <see cref="FieldShape.Of"/>, or any one of <see cref="FieldShape.OneOf"/>.</summary>
    private static JsonObject Shapes(FieldShape field) =>
        field.OneOf.Count > 0 ? new JsonObject { ["anyOf"] = new JsonArray([.. field.OneOf.Select(o => (JsonNode)Object(o))]) } : Object(field.Of!);

    private static JsonObject Values(FieldShape field)
    {
        if (field.OrText is not { } pattern)
        {
            return Shapes(field);
        }

        var text = new JsonObject { ["type"] = "string", ["pattern"] = pattern };
        JsonNode[] shapes = field.OneOf.Count > 0 ? [.. field.OneOf.Select(o => (JsonNode)Object(o))] : [Object(field.Of!)];
        return new JsonObject { ["anyOf"] = new JsonArray([text, .. shapes]) };
    }

    private static JsonObject Map(FieldShape field, JsonObject values)
    {
        var node = new JsonObject { ["type"] = Types(field.Required ? ["object"] : ["object", "null"]) };
        if (field.KeyPattern is { } keys)
        {
            node["propertyNames"] = new JsonObject { ["pattern"] = keys };
        }

        if (field.MaxItems is { } max)
        {
            node["maxProperties"] = max;
        }

        node["additionalProperties"] = values;
        return node;
    }

    private static JsonObject TextOrList(FieldShape field)
    {
        var list = Array(field with { Required = true }, PlainItem(field));
        return OrNull(new JsonObject { ["anyOf"] = new JsonArray(PlainItem(field), list) }, field);
    }

    /// <summary>An optional <c>anyOf</c> node also takes null.</summary>
    private static JsonObject OrNull(JsonObject anyOf, FieldShape field)
    {
        if (!field.Required)
        {
            ((JsonArray)anyOf["anyOf"]!).Add(new JsonObject { ["type"] = "null" });
        }

        return anyOf;
    }

    private static JsonObject PlainItem(FieldShape field)
    {
        var item = new JsonObject { ["type"] = Types("string", "number", "boolean") };
        if (field.Pattern is { } pattern)
        {
            item["pattern"] = pattern;
        }

        return item;
    }

    private static JsonObject Scalar(FieldShape field, params string[] types)
    {
        var node = new JsonObject { ["type"] = Types(field.Required ? types : [.. types, "null"]) };
        if (field.Values.Count > 0)
        {
            node["enum"] = new JsonArray([.. field.Values.Select(v => (JsonNode)v), .. field.Required ? System.Array.Empty<JsonNode?>() : [null]]);
        }

        if (field.Pattern is { } pattern)
        {
            node["pattern"] = pattern;
        }

        if (field.ExclusiveMinimum is { } above)
        {
            node["exclusiveMinimum"] = above;
        }

        return Bounds(node, field);
    }

    private static JsonObject Array(FieldShape field, JsonObject items)
    {
        var node = new JsonObject { ["type"] = Types(field.Required ? ["array"] : ["array", "null"]), ["items"] = items };
        if (field.MinItems is { } min)
        {
            node["minItems"] = min;
        }

        if (field.MaxItems is { } max)
        {
            node["maxItems"] = max;
        }

        if (field.UniqueItems)
        {
            node["uniqueItems"] = true;
        }

        return node;
    }

    private static JsonObject Nullable(JsonObject node, FieldShape field)
    {
        if (!field.Required)
        {
            node["type"] = Types("object", "null");
        }

        return node;
    }

    private static JsonObject Bounds(JsonObject node, FieldShape field)
    {
        if (field.Minimum is { } min)
        {
            node["minimum"] = min;
        }

        if (field.Maximum is { } max)
        {
            node["maximum"] = max;
        }

        return node;
    }

    private static JsonNode Types(params string[] types) => types.Length == 1 ? JsonValue.Create(types[0]) : new JsonArray([.. types.Select(t => (JsonNode)t)]);
}
