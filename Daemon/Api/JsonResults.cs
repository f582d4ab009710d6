using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace GradientNode.Daemon.Api;

/// <summary>Source-generated JSON answers.</summary>
internal static class JsonResults
{
    public static IResult Json<T>(T value, JsonTypeInfo<T> type, int status = StatusCodes.Status200OK) =>
        Results.Text(JsonSerializer.Serialize(value, type), "application/json", statusCode: status);

    public static IResult Error(int status, string message, IReadOnlyList<string>? errors = null) =>
        Json(new ApiError(message, errors), ApiJsonContext.Default.ApiError, status);
}
