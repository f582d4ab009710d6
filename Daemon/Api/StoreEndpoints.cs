using GradientNode.Core.Integrations;
using GradientNode.Daemon.Configuration;
using Microsoft.AspNetCore.Http.Features;

namespace GradientNode.Daemon.Api;

/// <summary>
/// <c>/v1/models</c>: the node's local model store (each upload, a tar stream the client made from its own files, becomes
/// a new version); it outlives deployments. The daemon never opens a path a caller names. Datasets: <see cref="DatasetEndpoints"/>.
/// </summary>
internal static class StoreEndpoints
{
    public const string TarContentType = "application/x-tar";

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/v1/models", (VolumeStores stores) => JsonResults.Json(stores.Models.List().ToList(), VolumeJsonContext.Default.ListStoreEntry));

        api.MapPost("/v1/models/{id}", async (string id, HttpRequest request, VolumeStores stores, NodeOptions options, CancellationToken cancellationToken) =>
        {
            if (VersionedStore.CheckName(id) is { } problem)
            {
                return JsonResults.Error(StatusCodes.Status400BadRequest, $"model id {problem}");
            }

            if (!string.Equals(request.ContentType?.Split(';')[0].Trim(), TarContentType, StringComparison.OrdinalIgnoreCase))
            {
                return JsonResults.Error(
                    StatusCodes.Status400BadRequest,
                    $"the body must be the model's content as a tar stream (Content-Type: {TarContentType}), uploaded by the client: the node no longer copies a directory named by path (the old {{\"from\": DIR}} body)");
            }

            // The tar extractor enforces the model cap on the content; Kestrel's default body limit (30 MB) would stop it first.
            if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = null;
            }

            try
            {
                var version = await stores.Models.AddFromTarAsync(id, request.Body, options.ModelUploadLimit, cancellationToken);
                return JsonResults.Json(new Acknowledged($"{id}:{version}", "created"), ApiJsonContext.Default.Acknowledged, StatusCodes.Status201Created);
            }
            catch (UploadRejectedException ex)
            {
                return JsonResults.Error(ex.TooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest, $"model '{id}': {ex.Message}; nothing was added");
            }
        });

        api.MapDelete("/v1/models/{id}", async (string id, VolumeStores stores, ModelUsers users, CancellationToken cancellationToken) =>
        {
            if (VersionedStore.CheckName(id) is not null || !Directory.Exists(Path.Combine(stores.Models.Root, id)))
            {
                return JsonResults.Error(StatusCodes.Status404NotFound, UnknownName.Model(id, stores.Models.List().Select(m => m.Name)));
            }

            // A replica's mount of a deleted folder shows it empty, and the replica could not be started again.
            var busy = await users.ListAsync(id, cancellationToken);
            if (busy.Count > 0)
            {
                return JsonResults.Error(StatusCodes.Status409Conflict, $"model '{id}' is in use by {string.Join(", ", busy)}; change or delete those deployments first, nothing was removed");
            }

            return stores.Models.Remove(id)
                ? JsonResults.Json(new Acknowledged(id, "deleted"), ApiJsonContext.Default.Acknowledged)
                : JsonResults.Error(StatusCodes.Status404NotFound, UnknownName.Model(id, stores.Models.List().Select(m => m.Name)));
        });
    }
}
