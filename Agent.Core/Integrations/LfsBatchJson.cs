using System.Text.Json.Serialization;

namespace GradientNode.Core.Integrations;

// The Git LFS batch API's wire types (docs/api/batch.md of git-lfs): one request, its response, and their parts.

internal sealed record LfsBatchRequest(
    [property: JsonPropertyName("operation")] string Operation,
    [property: JsonPropertyName("transfers")] IReadOnlyList<string> Transfers,
    [property: JsonPropertyName("objects")] IReadOnlyList<LfsBatchObjectId> Objects);

internal sealed record LfsBatchObjectId(
    [property: JsonPropertyName("oid")] string Oid,
    [property: JsonPropertyName("size")] long Size);

internal sealed record LfsBatchResponse(
    [property: JsonPropertyName("transfer")] string? Transfer,
    [property: JsonPropertyName("objects")] IReadOnlyList<LfsBatchObject>? Objects,
    [property: JsonPropertyName("message")] string? Message);

internal sealed record LfsBatchObject(
    [property: JsonPropertyName("oid")] string? Oid,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("actions")] LfsBatchActions? Actions,
    [property: JsonPropertyName("error")] LfsBatchError? Error);

internal sealed record LfsBatchActions(
    [property: JsonPropertyName("download")] LfsBatchAction? Download);

internal sealed record LfsBatchAction(
    [property: JsonPropertyName("href")] string? Href,
    [property: JsonPropertyName("header")] IReadOnlyDictionary<string, string>? Header);

internal sealed record LfsBatchError(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("message")] string? Message);

[JsonSerializable(typeof(LfsBatchRequest))]
[JsonSerializable(typeof(LfsBatchResponse))]
internal sealed partial class LfsJsonContext : JsonSerializerContext;
