using System.Text.Json;
using GradientNode.Core.Integrations;

namespace GradientNode.Daemon.Api;

/// <summary>
/// <c>/v1/models</c> and <c>/v1/datasets</c>: the node's local model store (a model directory is copied in as a new
/// version each time) and the datasets that legacy repositories are cloned into. Both outlive deployments.
/// </summary>
internal static class StoreEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/v1/models", (VolumeStores stores) => JsonResults.Json(stores.Models.List().ToList(), VolumeJsonContext.Default.ListStoreEntry));

        api.MapPost("/v1/models/{id}", async (string id, HttpRequest request, VolumeStores stores, CancellationToken cancellationToken) =>
        {
            ModelAddRequest? input;
            try
            {
                input = await JsonSerializer.DeserializeAsync(request.Body, ApiJsonContext.Default.ModelAddRequest, cancellationToken);
            }
            catch (JsonException ex)
            {
                return JsonResults.Error(StatusCodes.Status400BadRequest, $"bad request body: {ex.Message}");
            }

            if (VersionedStore.CheckName(id) is { } problem)
            {
                return JsonResults.Error(StatusCodes.Status400BadRequest, $"model id {problem}");
            }

            if (input?.From is not { Length: > 0 } from || !Path.IsPathRooted(from) || !Directory.Exists(from))
            {
                return JsonResults.Error(StatusCodes.Status400BadRequest, $"--from must be an existing directory on the node (got '{input?.From}')");
            }

            // Copying may take a while: off the request thread.
            var version = await Task.Run(() => stores.Models.AddCopy(id, from), cancellationToken);
            return JsonResults.Json(new Acknowledged($"{id}:{version}", "created"), ApiJsonContext.Default.Acknowledged, StatusCodes.Status201Created);
        });

        api.MapDelete("/v1/models/{id}", (string id, VolumeStores stores) => stores.Models.Remove(id)
            ? JsonResults.Json(new Acknowledged(id, "deleted"), ApiJsonContext.Default.Acknowledged)
            : JsonResults.Error(StatusCodes.Status404NotFound, $"no model '{id}'"));

        api.MapGet("/v1/datasets", (VolumeStores stores) => JsonResults.Json(stores.Datasets.List().ToList(), VolumeJsonContext.Default.ListStoreEntry));

        api.MapDelete("/v1/datasets/{name}", (string name, VolumeStores stores) => stores.Datasets.Remove(name)
            ? JsonResults.Json(new Acknowledged(name, "deleted"), ApiJsonContext.Default.Acknowledged)
            : JsonResults.Error(StatusCodes.Status404NotFound, $"no dataset '{name}'"));
    }
}
