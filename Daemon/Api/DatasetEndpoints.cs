using System.Formats.Tar;
using System.Globalization;
using System.Text.Json;
using GradientNode.Core.Datasets;
using GradientNode.Core.Integrations;
using GradientNode.Daemon.Configuration;
using Microsoft.AspNetCore.Http.Features;

namespace GradientNode.Daemon.Api;

/// <summary>
/// <c>/v1/datasets</c>: the node's versioned datasets. An upload is a tar stream the client made from its own files (the
/// daemon never opens a path a caller names), unpacked by <see cref="TarExtractor"/> into a staging folder and committed
/// by rename; a download streams a version back as a tar. Removing a version a running container mounts is refused with
/// the users named.
/// </summary>
internal static class DatasetEndpoints
{
    /// <summary>The response header of a download that carries the version's content bytes (for the client's progress bar).</summary>
    public const string BytesHeader = "X-Dataset-Bytes";

    /// <summary>
    /// The JSON bodies of create and tag hold a few fields: more than this is 413, unread. Before, Kestrel's 30 MB applied
    /// and was buffered whole (found by the fifth adversary review).
    /// </summary>
    public const int MaxJsonBodyBytes = 64 * 1024;

    /// <summary>
    /// A description's UTF-8 bytes at most. Before, a 29 MB one was stored and sent back by every <c>datasets ls</c>
    /// (<c>GET /v1/datasets</c> carries every dataset's), so a few hundred such datasets made each listing gigabytes.
    /// </summary>
    public const int MaxDescriptionBytes = 4096;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/v1/datasets", (DatasetStore store) => Run(() => JsonResults.Json(store.List().ToList(), DatasetJsonContext.Default.ListDatasetInfo)));

        api.MapPost("/v1/datasets", async (HttpRequest request, DatasetStore store, CancellationToken cancellationToken) =>
        {
            DatasetCreateRequest? body;
            try
            {
                if (await BoundedBody.ReadBytesAsync(request.Body, MaxJsonBodyBytes, cancellationToken) is not { } bytes)
                {
                    return TooLarge("POST /v1/datasets");
                }

                body = JsonSerializer.Deserialize(bytes, DatasetApiJsonContext.Default.DatasetCreateRequest); // bytes: bad UTF-8 is a JsonException (400)
            }
            catch (JsonException ex)
            {
                return JsonResults.Error(StatusCodes.Status400BadRequest, $"the body must be {{\"name\": NAME, \"description\": TEXT?}}: {ex.Message}");
            }

            var descriptionBytes = body?.Description is { } description ? System.Text.Encoding.UTF8.GetByteCount(description) : 0;
            return body?.Name is null
                ? JsonResults.Error(StatusCodes.Status400BadRequest, "the body must be {\"name\": NAME, \"description\": TEXT?}")
                : descriptionBytes > MaxDescriptionBytes
                ? JsonResults.Error(StatusCodes.Status400BadRequest, $"the description of dataset '{body.Name}' is {descriptionBytes} bytes, more than the {MaxDescriptionBytes}-byte limit; nothing was created")
                : Run(() => JsonResults.Json(store.Create(body.Name, body.Description), DatasetJsonContext.Default.DatasetInfo, StatusCodes.Status201Created));
        });

        api.MapGet("/v1/datasets/{name}", (string name, DatasetStore store) => Run(() => JsonResults.Json(store.Get(name), DatasetJsonContext.Default.DatasetInfo)));

        api.MapGet("/v1/datasets/{name}/versions", (string name, DatasetStore store) => Run(() => JsonResults.Json(store.Versions(name).ToList(), DatasetJsonContext.Default.ListDatasetVersion)));

        api.MapGet("/v1/datasets/{name}/versions/{selector}", (string name, string selector, DatasetStore store) =>
            Run(() => JsonResults.Json(store.Resolve($"{name}:{selector}"), DatasetJsonContext.Default.DatasetVersion)));

        api.MapGet("/v1/datasets/{name}/users", UsersAsync);

        api.MapPost("/v1/datasets/{name}/versions", UploadAsync);

        api.MapGet("/v1/datasets/{name}/versions/{selector}/content", DownloadAsync);

        api.MapPut("/v1/datasets/{name}/tags/{tag}", async (string name, string tag, HttpRequest request, DatasetStore store, CancellationToken cancellationToken) =>
        {
            DatasetTagRequest? body;
            try
            {
                if (await BoundedBody.ReadBytesAsync(request.Body, MaxJsonBodyBytes, cancellationToken) is not { } bytes)
                {
                    return TooLarge("PUT /v1/datasets/{name}/tags/{tag}");
                }

                body = JsonSerializer.Deserialize(bytes, DatasetApiJsonContext.Default.DatasetTagRequest); // bytes: bad UTF-8 is a JsonException (400)
            }
            catch (JsonException ex)
            {
                return JsonResults.Error(StatusCodes.Status400BadRequest, $"the body must be {{\"version\": VERSION}}: {ex.Message}");
            }

            return body?.Version is null
                ? JsonResults.Error(StatusCodes.Status400BadRequest, "the body must be {\"version\": VERSION}")
                : Run(() => JsonResults.Json(store.Tag(name, body.Version, tag), DatasetJsonContext.Default.DatasetVersion));
        });

        api.MapDelete("/v1/datasets/{name}/tags/{tag}", (string name, string tag, DatasetStore store) =>
            Run(() => JsonResults.Json(store.Untag(name, tag), DatasetJsonContext.Default.DatasetVersion)));

        api.MapDelete("/v1/datasets/{name}", (string name, DatasetStore store, DatasetUsers users, CancellationToken cancellationToken) =>
            RemoveAsync(name, null, store, users, cancellationToken));

        api.MapDelete("/v1/datasets/{name}/versions/{version}", (string name, string version, DatasetStore store, DatasetUsers users, CancellationToken cancellationToken) =>
            RemoveAsync(name, version, store, users, cancellationToken));

        api.MapPost("/v1/datasets/gc", async (HttpRequest request, StorageCollector collector, CancellationToken cancellationToken) =>
        {
            var flag = request.Query["dryRun"].FirstOrDefault();
            return flag is null or "true" or "false" or "1" or "0"
                ? JsonResults.Json(await collector.CollectAsync(cancellationToken, dryRun: flag is "true" or "1"), DatasetApiJsonContext.Default.StorageGcReport)
                : JsonResults.Error(StatusCodes.Status400BadRequest, $"dryRun must be true or false, not '{flag}'");
        });
    }

    private static async Task<IResult> UploadAsync(string name, HttpRequest request, DatasetStore store, NodeOptions options, CancellationToken cancellationToken)
    {
        if (!string.Equals(request.ContentType?.Split(';')[0].Trim(), StoreEndpoints.TarContentType, StringComparison.OrdinalIgnoreCase))
        {
            return JsonResults.Error(StatusCodes.Status400BadRequest, $"the body must be the version's files as a tar stream (Content-Type: {StoreEndpoints.TarContentType}), made by the client from its own files");
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null; // the tar extractor enforces the upload cap
        }

        DatasetWrite write;
        try
        {
            write = store.BeginWrite(name, request.Query["message"].FirstOrDefault() is { Length: > 0 } message ? message : null);
        }
        catch (DatasetException ex)
        {
            return Error(ex);
        }

        try
        {
            await TarExtractor.ExtractAsync(request.Body, write.ContentPath, options.ModelUploadLimit, cancellationToken);
            var version = await store.CommitAsync(write, cancellationToken);
            return JsonResults.Json(version, DatasetJsonContext.Default.DatasetVersion, StatusCodes.Status201Created);
        }
        catch (UploadRejectedException ex)
        {
            return JsonResults.Error(ex.TooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest, $"dataset '{name}': {ex.Message}; nothing was committed");
        }
        catch (DatasetException ex)
        {
            return Error(ex);
        }
        finally
        {
            store.Abort(write); // after a commit: nothing left to drop
        }
    }

    private static async Task DownloadAsync(string name, string selector, HttpContext context, DatasetStore store, CancellationToken cancellationToken)
    {
        DatasetVersion version;
        try
        {
            version = store.Resolve($"{name}:{selector}");
        }
        catch (DatasetException ex)
        {
            await Error(ex).ExecuteAsync(context);
            return;
        }

        var root = store.ContentPathOf(version.Dataset, version.Version);
        context.Response.ContentType = StoreEndpoints.TarContentType;
        context.Response.Headers[BytesHeader] = version.Bytes.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-Dataset-Version"] = version.Id;
        await using var writer = new TarWriter(context.Response.Body, TarEntryFormat.Pax, leaveOpen: true);
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        var entries = 0;
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", options).Order(StringComparer.Ordinal))
        {
            // A committed version holds only regular files and folders; WriteEntry reads a link as a link, never its target.
            var entry = Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
            await writer.WriteEntryAsync(path, Directory.Exists(path) ? entry + "/" : entry, cancellationToken);
            entries++;
        }

        if (entries == 0)
        {
            // An empty version (a job's dataset output it left empty): TarWriter writes its end-of-archive blocks only after
            // an entry, and a body of no bytes is no tar at all to a reader; two zero blocks are the empty archive.
            await context.Response.Body.WriteAsync(new byte[2 * 512], cancellationToken);
        }
    }

    /// <summary>The containers (running or stopped, still in the engine) that mount a version of the dataset, as <see cref="DatasetUsers"/> names them.</summary>
    private static async Task<IResult> UsersAsync(string name, DatasetStore store, DatasetUsers users, CancellationToken cancellationToken)
    {
        try
        {
            store.Get(name); // 404 for an unknown dataset, 400 for a bad name
            var uses = (await users.ListAsync(cancellationToken)).Where(u => u.Dataset == name).Distinct()
                .OrderBy(u => u.Version, StringComparer.Ordinal).ThenBy(u => u.User, StringComparer.Ordinal).ToList();
            return JsonResults.Json(uses, DatasetApiJsonContext.Default.ListDatasetUse);
        }
        catch (DatasetException ex)
        {
            return Error(ex);
        }
    }

    private static async Task<IResult> RemoveAsync(string name, string? version, DatasetStore store, DatasetUsers users, CancellationToken cancellationToken)
    {
        var reference = version is null ? name : $"{name}:{version}";
        try
        {
            var busy = (await users.ListAsync(cancellationToken)).Where(u => u.Running && u.Dataset == name && (version is null || u.Version == version)).ToList();
            if (busy.Count > 0)
            {
                return JsonResults.Error(
                    StatusCodes.Status409Conflict,
                    $"dataset '{reference}' is in use by {string.Join(", ", busy.Select(u => $"{u.User} ({u.Dataset}:{u.Version})").Distinct())}; stop them first, nothing was removed");
            }

            store.Remove(name, version);
            return JsonResults.Json(new Acknowledged(reference, "deleted"), ApiJsonContext.Default.Acknowledged);
        }
        catch (DatasetException ex)
        {
            return Error(ex);
        }
    }

    private static IResult Run(Func<IResult> action)
    {
        try
        {
            return action();
        }
        catch (DatasetException ex)
        {
            return Error(ex);
        }
    }

    private static IResult Error(DatasetException ex) => JsonResults.Error(
        ex.Error switch
        {
            DatasetError.NotFound => StatusCodes.Status404NotFound,
            DatasetError.Conflict or DatasetError.InUse => StatusCodes.Status409Conflict,
            DatasetError.Damaged => StatusCodes.Status500InternalServerError,
            _ => StatusCodes.Status400BadRequest,
        },
        ex.Message);

    private static IResult TooLarge(string route) =>
        JsonResults.Error(StatusCodes.Status413PayloadTooLarge, $"the body of {route} must be at most {MaxJsonBodyBytes} bytes; nothing was changed");
}
